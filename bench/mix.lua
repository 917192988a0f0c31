-- bench/mix.lua: the read/write mix for bench/bench_nodes.sh (wrk).
-- 9 of 10 requests GET /api/v1/cases/{id}; the 10th POSTs a clinical note
-- (a write that is audited). BENCH_CASE, BENCH_COOKIE and BENCH_CSRF come
-- from the environment.
local case = os.getenv("BENCH_CASE")
local read_headers = { ["Cookie"] = os.getenv("BENCH_COOKIE"), ["Accept"] = "application/json" }
local write_headers = {
	["Cookie"] = os.getenv("BENCH_COOKIE"),
	["Accept"] = "application/json",
	["Content-Type"] = "application/json",
	["X-CSRF-Token"] = os.getenv("BENCH_CSRF"),
}
local n = 0

request = function()
	n = n + 1
	if n % 10 == 0 then
		return wrk.format("POST", "/api/v1/cases/" .. case .. "/notes", write_headers,
			'{"category":"clinical","text":"bench note"}')
	end
	return wrk.format("GET", "/api/v1/cases/" .. case, read_headers)
end
