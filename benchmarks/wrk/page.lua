-- wrk script of the HTTP benchmark (benchmarks/http.py): one request, again and again.
-- Environment: PATH_URL, COOKIE, and for a form POST: BODY (application/x-www-form-urlencoded).
local path = os.getenv("PATH_URL") or "/"
local cookie = os.getenv("COOKIE") or ""
local body = os.getenv("BODY")

function init(args)
  if cookie ~= "" then wrk.headers["Cookie"] = cookie end
  if body then
    wrk.method = "POST"
    wrk.body = body
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end

function request()
  return wrk.format(nil, path)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f status_errors=%d socket_errors=%d bytes=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.status, e.connect + e.read + e.write + e.timeout, summary.bytes))
end
