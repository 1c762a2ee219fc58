-- SPDX-License-Identifier: ISC
-- The Tempo Arp preset following Ardour's tempo, run headless by ardour7-lua
-- against a JACK server that test_ardour_tempo.py started on the dummy driver.
--
-- A MIDI track plays Strata with the Tempo Arp preset (echo off, short gate)
-- and a chord held; an audio track records its output. The session's tempo
-- map says 120 BPM for the first two bars (4 s) and 60 BPM after: Ardour
-- sends the plugin its time:Position, and the arpeggio's note rate must
-- halve at the tempo change. test_ardour_tempo.py counts the notes in the
-- recording.
--
-- Inputs (environment): STRATA_SESSION_DIR (must not exist yet).
-- Output protocol (stdout): as strata_session.lua (STRATA key=value,
-- STRATA-FAIL text, STRATA-DONE).

local function out(k, v) print(string.format("STRATA %s=%s", k, tostring(v))) end
local function fail(msg) print("STRATA-FAIL " .. msg) end

local URI = "urn:strata:modular"
local PRESET = "urn:strata:preset:tempo-arp"
local dir = os.getenv("STRATA_SESSION_DIR")
local RATE = 48000
local SECONDS = 8

local function send_midi(pins, bytes)
	local parser = ARDOUR.RawMidiParser()
	for _, b in ipairs(bytes) do
		if parser:process_byte(b) then
			pins:write_immediate_event(Evoral.EventType.MIDI_EVENT, parser:buffer_size(), parser:midi_buffer())
		end
	end
end

local function wait_for(cond, seconds)
	local t = 0
	while not cond() and t < seconds do sleep(0.05); t = t + 0.05 end
	return cond()
end

-- The tempo map's writable copy: write_copy() in Ardour 7.3 and later,
-- fetch_writable() before.
local function writable_map()
	local ok, tm = pcall(function() return Temporal.TempoMap.write_copy() end)
	if ok and tm then return tm end
	return Temporal.TempoMap.fetch_writable()
end

-- 120 BPM from the start, 60 BPM from beat 8 (bar 3, 4 s in).
local function set_tempo_map()
	local tm = writable_map()
	tm:set_tempo(Temporal.Tempo(120, 120, 4), Temporal.timepos_t(0))
	tm:set_tempo(Temporal.Tempo(60, 60, 4), Temporal.timepos_t.from_ticks(Temporal.ticks_per_beat * 8))
	Temporal.TempoMap.update(tm)
	local now = Temporal.TempoMap.read()
	out("bpm_at_1s", now:quarters_per_minute_at(Temporal.timepos_t(RATE)))
	out("bpm_at_6s", now:quarters_per_minute_at(Temporal.timepos_t(6 * RATE)))
end

-- Sets the plugin control labelled `label` through its automation control.
local function set_control(pins, plug, label, value)
	for j = 0, plug:parameter_count() - 1 do
		if plug:parameter_is_control(j) and plug:parameter_is_input(j) and plug:parameter_label(j) == label then
			local ac = pins:to_automatable():automation_control(
				Evoral.Parameter(ARDOUR.AutomationType.PluginAutomation, 0, j), false)
			if ac:isnil() then fail("no automation control for " .. label); return end
			ac:set_value(value, PBD.GroupControlDisposition.NoGroup)
			out("set " .. label, value)
			return
		end
	end
	fail("no control named '" .. label .. "'")
end

local function main()
	assert(dir, "STRATA_SESSION_DIR is not set")
	if not AudioEngine:set_backend("JACK", "", "") then fail("Ardour has no JACK backend"); return end
	local s = create_session(dir, "strata", RATE)
	if not s then fail("create_session failed (is the JACK server up?)"); return end
	sleep(1)

	local pi = ARDOUR.LuaAPI.new_plugin_info(URI, ARDOUR.PluginType.LV2)
	if pi:isnil() then fail("Ardour does not list the LV2 plugin " .. URI .. " (LV2_PATH?)"); return end
	local tracks = Session:new_midi_track(
		ARDOUR.ChanCount(ARDOUR.DataType("midi"), 1), ARDOUR.ChanCount(ARDOUR.DataType("audio"), 2),
		true, pi, nil, nil, 1, "Strata", ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal, true)
	if tracks:size() ~= 1 then fail("new_midi_track made " .. tracks:size() .. " tracks"); return end
	local track = tracks:front()
	local recs = Session:new_audio_track(2, 2, nil, 1, "Rec", ARDOUR.PresentationInfo.max_order,
		ARDOUR.TrackMode.Normal, true, false)
	if recs:size() ~= 1 then fail("new_audio_track made " .. recs:size() .. " tracks"); return end
	local rec = recs:front()
	sleep(2)

	local pins = track:nth_plugin(0):to_insert()
	local plug = pins:plugin(0)
	local chosen = nil
	for p in pi:get_presets(false):iter() do
		if p.uri == PRESET then chosen = p end
	end
	if not chosen then fail("Ardour does not list " .. PRESET); return end
	if not plug:load_preset(chosen) then fail("load_preset(" .. PRESET .. ") returned false"); return end
	out("loaded_preset", chosen.uri)
	set_control(pins, plug, "Macro 3", 0) -- no echo: each note is one onset
	set_control(pins, plug, "Macro 2", 0) -- the shortest gate

	-- The recording track takes the Strata track's output.
	-- (The engine may refuse a connection while it still settles the new
	-- tracks: try again for a few seconds.)
	rec:input():disconnect_all(nil)
	for c = 0, 1 do
		local src = track:output():audio(c):name()
		local port = rec:input():audio(c)
		if not wait_for(function() return port:connected_to(src) or (port:connect(src) == 0 and false) end, 5) then
			fail("cannot connect " .. src .. " to Rec")
		end
	end
	set_tempo_map()

	Session:request_locate(0, false, ARDOUR.LocateTransportDisposition.MustStop, ARDOUR.TransportRequestSource.TRS_UI)
	wait_for(function() return Session:transport_sample() == 0 end, 5)
	rec:rec_enable_control():set_value(1, PBD.GroupControlDisposition.NoGroup)
	Session:maybe_enable_record(false)
	send_midi(pins, { 0x90, 57, 100 })
	send_midi(pins, { 0x90, 60, 100 })
	send_midi(pins, { 0x90, 64, 100 })
	Session:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
	if not wait_for(function() return Session:transport_rolling() end, 10) then
		fail("transport did not start rolling"); return
	end
	out("recording", Session:actively_recording() and "yes" or "no")
	local deadline = os.time() + SECONDS + 20
	while Session:transport_sample() < SECONDS * RATE and os.time() < deadline do sleep(0.05) end
	out("stopped_at", Session:transport_sample())
	Session:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
	wait_for(function() return not Session:transport_rolling() end, 10)
	for _, n in ipairs({ 57, 60, 64 }) do send_midi(pins, { 0x80, n, 0 }) end
	rec:rec_enable_control():set_value(0, PBD.GroupControlDisposition.NoGroup)
	Session:disable_record(false, false)
	sleep(1)

	for r in rec:playlist():region_list():iter() do
		out("region_position", r:position():samples())
		local fs = r:source(0):to_filesource() -- the left channel
		if not fs:isnil() then out("recorded", fs:path()) end
	end
	Session:save_state("", false, false, false, false, false)
	out("saved_session", "yes")
end

local ok, err = pcall(main)
if not ok then fail("Lua error: " .. tostring(err)) end
pcall(close_session)
print("STRATA-DONE")
