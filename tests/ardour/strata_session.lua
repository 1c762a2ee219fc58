-- SPDX-License-Identifier: ISC
-- Strata in a real Ardour session, run headless by ardour7-lua (luasession)
-- against a JACK server that test_ardour.py started on the dummy driver.
--
-- Inputs (environment):
--   STRATA_SESSION_DIR  folder for the new session (must not exist yet)
--   STRATA_PRESET       label or URI of the Strata preset to load
--   STRATA_MACRO        macro slot (1..16) to automate
--   STRATA_SECONDS      length of each measured half (default 2.5)
--
-- Output protocol (stdout), read by test_ardour.py:
--   STRATA key=value    a measurement or a step that passed
--   STRATA-FAIL text    a check that failed (the script goes on where it can)
--   STRATA-DONE         the script reached its end (whatever failed)

local function out(k, v) print(string.format("STRATA %s=%s", k, tostring(v))) end
local function fail(msg) print("STRATA-FAIL " .. msg) end

local URI = "urn:strata:modular"
local dir = os.getenv("STRATA_SESSION_DIR")
local want_preset = os.getenv("STRATA_PRESET") or "Poly Pad"
local macro = tonumber(os.getenv("STRATA_MACRO") or "1")
local half = tonumber(os.getenv("STRATA_SECONDS") or "2.5")
local RATE = 48000

-- Send one short MIDI message straight to the plugin insert (the way
-- Ardour's own MIDI tuning scripts do), parsed by Ardour's raw MIDI parser.
local function send_midi(pins, bytes)
	local parser = ARDOUR.RawMidiParser()
	for _, b in ipairs(bytes) do
		if parser:process_byte(b) then
			pins:write_immediate_event(Evoral.EventType.MIDI_EVENT, parser:buffer_size(), parser:midi_buffer())
		end
	end
end

-- Sample the track's meters while the transport rolls until `until_s`
-- (session seconds), adding every reading inside [from_s, until_s) to acc.
local function measure(route, from_s, until_s, acc)
	local meter = route:peak_meter()
	-- The meter's channels are its MIDI ones first, then audio: skip the
	-- MIDI channel (it shows note velocities, not sound).
	local first = meter:input_streams():n_midi()
	local deadline = os.time() + until_s + 20
	while true do
		local pos = Session:transport_sample() / RATE
		if pos >= until_s then break end
		if os.time() > deadline then fail("transport did not reach " .. until_s .. " s (stuck at " .. pos .. " s)"); break end
		if pos >= from_s then
			local pk = math.max(meter:meter_level(first, ARDOUR.MeterType.MeterPeak),
			                    meter:meter_level(first + 1, ARDOUR.MeterType.MeterPeak))
			acc.n = acc.n + 1
			acc.peak = math.max(acc.peak, pk)
			acc.sum = acc.sum + 10 ^ (pk / 20) -- mean of the per-cycle peaks
		end
		sleep(0.02)
	end
	acc.mean_db = (acc.n > 0 and acc.sum > 0) and 20 * math.log(acc.sum / acc.n, 10) or -200
	return acc
end

local function new_acc() return { n = 0, peak = -200, sum = 0 } end

local function wait_for(cond, seconds)
	local t = 0
	while not cond() and t < seconds do sleep(0.05); t = t + 0.05 end
	return cond()
end

local function main()
	assert(dir, "STRATA_SESSION_DIR is not set")
	if not AudioEngine:set_backend("JACK", "", "") then
		fail("Ardour has no JACK backend"); return
	end
	local s = create_session(dir, "strata", RATE)
	if not s then fail("create_session failed (is the JACK server up?)"); return end
	sleep(1) -- let the engine settle before adding routes
	out("session", Session:name())
	out("engine_rate", Session:nominal_sample_rate())

	-- A MIDI track with Strata as its instrument.
	local pi = ARDOUR.LuaAPI.new_plugin_info(URI, ARDOUR.PluginType.LV2)
	if pi:isnil() then fail("Ardour does not list the LV2 plugin " .. URI .. " (LV2_PATH?)"); return end
	local tracks = Session:new_midi_track(
		ARDOUR.ChanCount(ARDOUR.DataType("midi"), 1), ARDOUR.ChanCount(ARDOUR.DataType("audio"), 2),
		true, pi, nil, nil, 1, "Strata", ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal, true)
	if tracks:size() ~= 1 then fail("new_midi_track made " .. tracks:size() .. " tracks"); return end
	local track = tracks:front()
	sleep(1)
	local proc = track:nth_plugin(0)
	if proc:isnil() then fail("the track has no plugin"); return end
	local pins = proc:to_insert()
	local plug = pins:plugin(0)
	out("plugin", plug:unique_id())
	if plug:unique_id() ~= URI then fail("instrument is " .. plug:unique_id()); return end
	out("instrument", pins:is_instrument() and "yes" or "no")
	-- Without audio outputs on the track, the meters would read the MIDI
	-- passing through (note velocities), not Strata's sound.
	local n_audio_out = track:n_outputs():n_audio()
	out("track_audio_outputs", n_audio_out)
	if not pins:is_instrument() then
		fail("Ardour does not take Strata for an instrument (is core.lv2 on LV2_PATH?)")
	end
	if n_audio_out ~= 2 then
		fail("the track has " .. n_audio_out .. " audio outputs, not 2: Strata's sound is not routed"); return
	end

	-- Presets, as Ardour lists them.
	local chosen = nil
	local n_factory = 0
	for p in pi:get_presets(false):iter() do
		out("preset", p.uri .. " | " .. p.label .. (p.user and " | user" or ""))
		if not p.user then n_factory = n_factory + 1 end
		if p.label == want_preset or p.uri == want_preset then chosen = p end
	end
	out("factory_presets", n_factory)
	if n_factory == 0 then fail("Ardour lists no Strata presets") end
	if not chosen then fail("preset '" .. want_preset .. "' is not listed by Ardour"); return end
	if not plug:load_preset(chosen) then fail("load_preset(" .. chosen.uri .. ") returned false"); return end
	if plug:last_preset().uri ~= chosen.uri then fail("last_preset is " .. plug:last_preset().uri) end
	out("loaded_preset", chosen.uri)

	-- Find macro N among the plugin's control inputs: its parameter index
	-- (for the AutomationControl) and its rank among controls (plugin_automation).
	local param, rank, n = nil, nil, 0
	for j = 0, plug:parameter_count() - 1 do
		if plug:parameter_is_control(j) then
			if plug:parameter_is_input(j) and plug:parameter_label(j) == ("Macro " .. macro) then
				param, rank = j, n
			end
			n = n + 1
		end
	end
	if not param then fail("no control named 'Macro " .. macro .. "'"); return end
	out("macro_param", param)

	-- Automation lane: macro = 0 for the first half, 1 for the second.
	local al, cl, pd = ARDOUR.LuaAPI.plugin_automation(proc, rank)
	if al:isnil() then fail("no automation list for macro " .. macro); return end
	out("macro_range", pd.lower .. ".." .. pd.upper)
	local T = function(sec) return Temporal.timepos_t(math.floor(sec * RATE)) end
	cl:clear_list()
	cl:add(T(0), pd.lower, false, false)
	cl:add(T(half), pd.lower, false, false)
	cl:add(T(half + 0.01), pd.upper, false, false)
	cl:add(T(2 * half + 5), pd.upper, false, false)
	local ac = pins:to_automatable():automation_control(Evoral.Parameter(ARDOUR.AutomationType.PluginAutomation, 0, param), false)
	if ac:isnil() then fail("no automation control for macro " .. macro); return end
	ac:set_automation_state(ARDOUR.AutoState.Play)
	out("automation_points", cl:size())

	-- Roll from the start and hold one note (A3) for the whole run.
	Session:request_locate(0, false, ARDOUR.LocateTransportDisposition.MustStop, ARDOUR.TransportRequestSource.TRS_UI)
	wait_for(function() return Session:transport_sample() == 0 end, 5)
	Session:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
	if not wait_for(function() return Session:transport_rolling() end, 10) then
		fail("transport did not start rolling"); return
	end
	out("rolling", "yes")
	send_midi(pins, { 0x90, 57, 100 })

	-- Leave 0.5 s for the attack and for the parameter smoothing to settle.
	local a = measure(track, 0.5, half, new_acc())
	local b = measure(track, half + 0.5, 2 * half, new_acc())
	send_midi(pins, { 0x80, 57, 0 })
	out("macro_value_end", ac:get_value())
	Session:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
	wait_for(function() return not Session:transport_rolling() end, 10)

	out("low_readings", a.n)
	out("high_readings", b.n)
	out("low_peak_db", string.format("%.2f", a.peak))
	out("high_peak_db", string.format("%.2f", b.peak))
	out("low_mean_db", string.format("%.2f", a.mean_db))
	out("high_mean_db", string.format("%.2f", b.mean_db))

	-- Save the plugin state as an Ardour (LV2) preset, then load it back.
	local name = "Strata Ardour Test"
	local rec = plug:save_preset(name)
	if not rec or not rec.valid then fail("save_preset returned an invalid record"); return end
	out("saved_preset", rec.uri)
	local listed = false
	for p in pi:get_presets(false):iter() do
		if p.uri == rec.uri and p.label == name and p.user then listed = true end
	end
	if not listed then fail("saved preset is not listed by PluginInfo:get_presets") end
	local found = plug:preset_by_label(name)
	if not found or found.uri ~= rec.uri then fail("preset_by_label did not find the saved preset") end
	-- Load another preset first so that loading ours is a real change.
	for p in pi:get_presets(false):iter() do
		if not p.user and p.uri ~= chosen.uri then plug:load_preset(p); break end
	end
	if not plug:load_preset(rec) then fail("load_preset(saved) returned false") end
	if plug:last_preset().uri ~= rec.uri then fail("after loading the saved preset last_preset is " .. plug:last_preset().uri) end
	out("reloaded_preset", rec.uri)

	-- Play the reloaded state with the macro held high: it must sound like
	-- the second half did.
	ac:set_automation_state(ARDOUR.AutoState.Off)
	ac:set_value(pd.upper, PBD.GroupControlDisposition.NoGroup)
	Session:request_locate(0, false, ARDOUR.LocateTransportDisposition.MustStop, ARDOUR.TransportRequestSource.TRS_UI)
	wait_for(function() return Session:transport_sample() == 0 end, 5)
	Session:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
	if not wait_for(function() return Session:transport_rolling() end, 10) then
		fail("transport did not start rolling (second run)"); return
	end
	send_midi(pins, { 0x90, 57, 100 })
	local c = measure(track, 0.5, half, new_acc())
	send_midi(pins, { 0x80, 57, 0 })
	Session:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
	wait_for(function() return not Session:transport_rolling() end, 10)
	out("reload_peak_db", string.format("%.2f", c.peak))
	out("reload_mean_db", string.format("%.2f", c.mean_db))

	Session:save_state("", false, false, false, false, false)
	out("saved_session", "yes")
end

local ok, err = pcall(main)
if not ok then fail("Lua error: " .. tostring(err)) end
pcall(close_session)
print("STRATA-DONE")
