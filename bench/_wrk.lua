-- wrk script of bench/run.py: each request is the next line of a file of entries (who asks, for what),
-- counts statuses, stops after a limit of requests per thread (for steps that use up their requests),
-- and prints one JSON line.
-- Environment: BENCH_ENTRIES_FILE (one request per line: method, path, Cookie header, Authorization
-- header, body and If-Match header, separated by tabs; empty fields are left out), BENCH_LIMIT (requests per thread,
-- 0: none), BENCH_THREADS (wrk's threads, so that the threads take different entries).

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("tid", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

local function split_tabs(line)
   local fields = {}
   local start = 1
   while true do
      local stop = string.find(line, "\t", start, true)
      if stop == nil then
         table.insert(fields, string.sub(line, start))
         return fields
      end
      table.insert(fields, string.sub(line, start, stop - 1))
      start = stop + 1
   end
end

local function read_entries(name)
   local entries = {}
   local file = assert(io.open(name, "r"))
   for line in file:lines() do
      if line ~= "" then
         local f = split_tabs(line)
         local headers = {}
         if f[3] ~= nil and f[3] ~= "" then headers["Cookie"] = f[3] end
         if f[4] ~= nil and f[4] ~= "" then headers["Authorization"] = f[4] end
         local body = f[5]
         if body == "" then body = nil end
         if body ~= nil then headers["Content-Type"] = "application/json" end
         if f[6] ~= nil and f[6] ~= "" then headers["If-Match"] = f[6] end
         table.insert(entries, wrk.format(f[1], f[2], headers, body))
      end
   end
   file:close()
   return entries
end

local entries, counter, nthreads, limit
ok2, ok3, other, done_count = 0, 0, 0, 0

function init(args)
   entries = read_entries(os.getenv("BENCH_ENTRIES_FILE"))
   nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
   limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
   counter = 0
end

function request()
   local index = (counter * nthreads + tid) % #entries + 1
   counter = counter + 1
   return entries[index]
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
