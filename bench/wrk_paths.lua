-- wrk script for bench/web.py: request random paths from a file, report p50/p95/max as JSON.
local paths = {}

init = function(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"p50_ms": %.2f, "p95_ms": %.2f, "max_ms": %.2f, "requests": %d, "errors": %d, "seconds": %.2f}\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency.max / 1000, summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, summary.duration / 1e6))
end
