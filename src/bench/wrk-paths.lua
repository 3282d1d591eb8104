-- wrk script of src/bench.sh: GETs the request paths listed in the file $BENCH_PATHS (one per line), in order,
-- each thread starting at its own offset, with "Authorization: $BENCH_AUTH" when that is set, and writes a JSON
-- summary to $BENCH_OUT. Requests are built once, in init(); no response() callback, so wrk does not parse
-- bodies (status codes are checked separately by the harness; errors.status counts answers >= 400).

local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local auth = os.getenv("BENCH_AUTH")

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local requests = {}
local n = 0
function init(args)
  local headers = {}
  if auth and #auth > 0 then headers["Authorization"] = auth end
  for i, path in ipairs(paths) do
    requests[i] = wrk.format("GET", path, headers)
  end
  n = (id * 7919) % #requests
end

function request()
  n = n % #requests + 1
  return requests[n]
end

function done(summary, latency, _)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local out = io.open(os.getenv("BENCH_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "seconds": %.6f, "rps": %.3f, "bytes": %d, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "mean": %.1f, "max": %d}, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
  out:close()
end
