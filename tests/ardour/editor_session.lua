-- SPDX-License-Identifier: ISC
-- A session for the editor's Ardour test, made headless by ardour7-lua
-- against the JACK server test_ardour_editor.py started: one MIDI track
-- with Strata as its instrument and the preset Mono Synth, saved.
-- Inputs: STRATA_SESSION_DIR (a folder that does not exist yet).
-- Output: "STRATA saved" when the session is saved, "STRATA-FAIL text" else.

local URI = "urn:strata:modular"
local dir = os.getenv("STRATA_SESSION_DIR")

local function fail(msg) print("STRATA-FAIL " .. msg) end

local function main()
	if not AudioEngine:set_backend("JACK", "", "") then fail("Ardour has no JACK backend"); return end
	if not create_session(dir, "strata", 48000) then fail("create_session failed"); return end
	sleep(1)
	local pi = ARDOUR.LuaAPI.new_plugin_info(URI, ARDOUR.PluginType.LV2)
	if pi:isnil() then fail("Ardour does not list " .. URI); return end
	local tracks = Session:new_midi_track(
		ARDOUR.ChanCount(ARDOUR.DataType("midi"), 1), ARDOUR.ChanCount(ARDOUR.DataType("audio"), 2),
		true, pi, nil, nil, 1, "Strata", ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal, true)
	if tracks:size() ~= 1 then fail("no track"); return end
	sleep(1)
	local plug = tracks:front():nth_plugin(0):to_insert():plugin(0)
	for p in pi:get_presets(false):iter() do
		if p.label == "Mono Synth" then plug:load_preset(p) end
	end
	sleep(1)
	Session:save_state("", false, false, false, false, false)
	print("STRATA saved")
end

main()
pcall(close_session)
