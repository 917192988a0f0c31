-- bench/soak.lua: the mixed load of bench/soak.sh (wrk). In every 20
-- requests: a case as JSON (12), the case page (4), the caseworker's "My
-- day" (2), the case list (1), and a clinical note written (1). BENCH_CASE,
-- BENCH_COOKIE and BENCH_CSRF come from the environment.
local case = os.getenv("BENCH_CASE")
local cookie = os.getenv("BENCH_COOKIE")
local json = { ["Cookie"] = cookie, ["Accept"] = "application/json" }
local html = { ["Cookie"] = cookie, ["Accept"] = "text/html" }
local write = {
	["Cookie"] = cookie,
	["Accept"] = "application/json",
	["Content-Type"] = "application/json",
	["X-CSRF-Token"] = os.getenv("BENCH_CSRF"),
}
local n = 0

request = function()
	n = n + 1
	local k = n % 20
	if k == 0 then
		return wrk.format("POST", "/api/v1/cases/" .. case .. "/notes", write,
			'{"category":"clinical","text":"soak note"}')
	elseif k == 1 then
		return wrk.format("GET", "/cases", html)
	elseif k <= 3 then
		return wrk.format("GET", "/", html)
	elseif k <= 7 then
		return wrk.format("GET", "/cases/" .. case, html)
	end
	return wrk.format("GET", "/api/v1/cases/" .. case, json)
end

-- Answers other than 2xx/3xx are counted by wrk (errors.status) and
-- printed: a soak that turns into errors is not a soak.
done = function(summary, latency, requests)
	io.write(string.format("requests %d, errors %d, non-2xx %d, p99 %.1f ms\n",
		summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write +
		summary.errors.timeout, summary.errors.status, latency:percentile(99) / 1000))
end
