-- wrk script of bench/run.py: rotates paths and cookies read from files, counts statuses, stops after a
-- limit of requests per thread (for steps that use up their requests), and prints one JSON line.
-- Environment: BENCH_PATHS_FILE (one path per line), BENCH_COOKIES_FILE (one Cookie header per line,
-- optional), BENCH_AUTH (Authorization header, optional), BENCH_METHOD (GET), BENCH_BODY, BENCH_CTYPE,
-- BENCH_HEADER (one extra "Name: value"), BENCH_LIMIT (requests per thread, 0: none), BENCH_THREADS.

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("tid", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

local function read_lines(name)
   local lines = {}
   if name == nil or name == "" then return lines end
   local file = assert(io.open(name, "r"))
   for line in file:lines() do
      if line ~= "" then table.insert(lines, line) end
   end
   file:close()
   return lines
end

local paths, cookies, counter, nthreads, limit, method, body, headers
ok2, ok3, other, done_count = 0, 0, 0, 0

function init(args)
   paths = read_lines(os.getenv("BENCH_PATHS_FILE"))
   cookies = read_lines(os.getenv("BENCH_COOKIES_FILE"))
   nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
   limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
   method = os.getenv("BENCH_METHOD") or "GET"
   body = os.getenv("BENCH_BODY")
   if body == "" then body = nil end
   headers = {}
   local auth = os.getenv("BENCH_AUTH")
   if auth ~= nil and auth ~= "" then headers["Authorization"] = auth end
   local ctype = os.getenv("BENCH_CTYPE")
   if ctype ~= nil and ctype ~= "" then headers["Content-Type"] = ctype end
   local extra = os.getenv("BENCH_HEADER")
   if extra ~= nil and extra ~= "" then
      local name, value = extra:match("^([^:]+):%s*(.*)$")
      headers[name] = value
   end
   counter = 0
end

function request()
   local index = (counter * nthreads + tid) % #paths + 1
   if #cookies > 0 then
      headers["Cookie"] = cookies[(counter * nthreads + tid) % #cookies + 1]
   end
   counter = counter + 1
   return wrk.format(method, paths[index], headers, body)
end

function response(status, response_headers, response_body)
   if status >= 200 and status < 300 then
      ok2 = ok2 + 1
   elseif status >= 300 and status < 400 then
      ok3 = ok3 + 1
   else
      other = other + 1
      if other <= 3 then io.stderr:write("status " .. status .. "\n") end
   end
   done_count = done_count + 1
   if limit > 0 and done_count >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
   local s2, s3, so = 0, 0, 0
   for _, thread in ipairs(threads) do
      s2 = s2 + (thread:get("ok2") or 0)
      s3 = s3 + (thread:get("ok3") or 0)
      so = so + (thread:get("other") or 0)
   end
   local errors = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "status_2xx": %d, "status_3xx": %d, '
      .. '"status_other": %d, "socket_errors": %d}\n',
      summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), latency.max, latency.mean, s2, s3, so,
      errors.connect + errors.read + errors.write + errors.timeout))
end
