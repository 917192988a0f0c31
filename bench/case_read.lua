-- case_read.lua: GET one of many case ids per request, with a session.
-- wrk -s bench/case_read.lua URL -- IDS_FILE COOKIE PATH_PREFIX [ACCEPT]
local ids = {}
local cookie, prefix, accept

function init(args)
	for line in io.lines(args[1]) do
		ids[#ids + 1] = line
	end
	cookie = args[2]
	prefix = args[3]
	accept = args[4] or "application/json"
	math.randomseed(os.time() + #ids)
end

function request()
	local id = ids[math.random(#ids)]
	return wrk.format("GET", prefix .. id, {["Cookie"] = cookie, ["Accept"] = accept})
end
