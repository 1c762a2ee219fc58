-- SPDX-License-Identifier: ISC
-- Strata's engine threads in Ardour: a MIDI track playing a Strata preset
-- with a chord held, while Ardour's DSP load and xruns are read. Run by
-- test_ardour_threads.py once per thread count (STRATA_THREADS).
--
-- Inputs (environment): STRATA_SESSION_DIR, STRATA_PRESET, STRATA_SECONDS.
-- Output (stdout): STRATA key=value, STRATA-FAIL text, STRATA-DONE.

local function out(k, v) print(string.format("STRATA %s=%s", k, tostring(v))) end
local function fail(msg) print("STRATA-FAIL " .. msg) end

local URI = "urn:strata:modular"
local dir = os.getenv("STRATA_SESSION_DIR")
local want_preset = os.getenv("STRATA_PRESET") or "Poly Pad"
local seconds = tonumber(os.getenv("STRATA_SECONDS") or "4")
local RATE = 48000

local function send_midi(pins, bytes)
	local parser = ARDOUR.RawMidiParser()
	for _, b in ipairs(bytes) do
		if parser:process_byte(b) then
			pins:write_immediate_event(Evoral.EventType.MIDI_EVENT, parser:buffer_size(), parser:midi_buffer())
		end
	end
end

local function wait_for(cond, limit)
	local t = 0
	while not cond() and t < limit do sleep(0.05); t = t + 0.05 end
	return cond()
end

local CHORD = { 45, 52, 57, 60, 64, 67, 71, 74 } -- every voice of a poly preset

local function main()
	assert(dir, "STRATA_SESSION_DIR is not set")
	if not AudioEngine:set_backend("JACK", "", "") then fail("Ardour has no JACK backend"); return end
	if not create_session(dir, "threads", RATE) then fail("create_session failed"); return end
	sleep(1)
	local pi = ARDOUR.LuaAPI.new_plugin_info(URI, ARDOUR.PluginType.LV2)
	if pi:isnil() then fail("Ardour does not list " .. URI); return end
	local tracks = Session:new_midi_track(
		ARDOUR.ChanCount(ARDOUR.DataType("midi"), 1), ARDOUR.ChanCount(ARDOUR.DataType("audio"), 2),
		true, pi, nil, nil, 1, "Strata", ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal, true)
	if tracks:size() ~= 1 then fail("no track"); return end
	local track = tracks:front()
	sleep(1)
	local pins = track:nth_plugin(0):to_insert()
	local plug = pins:plugin(0)
	local chosen = nil
	for p in pi:get_presets(false):iter() do
		if p.label == want_preset or p.uri == want_preset then chosen = p end
	end
	if not chosen or not plug:load_preset(chosen) then fail("cannot load preset " .. want_preset); return end
	sleep(1)

	Session:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
	if not wait_for(function() return Session:transport_rolling() end, 10) then fail("transport did not roll"); return end
	for _, n in ipairs(CHORD) do send_midi(pins, { 0x90, n, 100 }) end
	sleep(1) -- the attack, and the first blocks on the engine threads
	Session:reset_xrun_count()
	local meter = track:peak_meter()
	local first = meter:input_streams():n_midi()
	local n, sum, most, peak = 0, 0, 0, -200
	local t = 0
	while t < seconds do
		local load = AudioEngine:get_dsp_load()
		n = n + 1; sum = sum + load; most = math.max(most, load)
		peak = math.max(peak, meter:meter_level(first, ARDOUR.MeterType.MeterPeak))
		sleep(0.05); t = t + 0.05
	end
	out("xruns", Session:get_xrun_count())
	for _, n2 in ipairs(CHORD) do send_midi(pins, { 0x80, n2, 0 }) end
	Session:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
	wait_for(function() return not Session:transport_rolling() end, 10)
	out("dsp_mean", string.format("%.2f", sum / n))
	out("dsp_max", string.format("%.2f", most))
	out("readings", n)
	out("peak_db", string.format("%.2f", peak))
end

local ok, err = pcall(main)
if not ok then fail("Lua error: " .. tostring(err)) end
pcall(close_session)
print("STRATA-DONE")
