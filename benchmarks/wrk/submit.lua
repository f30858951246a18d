-- wrk script of the HTTP benchmark: a learner takes the quiz again and again, on ONE connection
-- (wrk -t1 -c1): POST « Commencer » (303 to the new attempt), then POST the attempt with
-- action=confirm (the confirmation page's « Envoyer »), and so on.
-- Environment: START_PATH, CSRF, COOKIE.
local start = os.getenv("START_PATH")
local csrf = os.getenv("CSRF")
local attempt = nil
local pending = "start"

function init(args)
  wrk.headers["Cookie"] = os.getenv("COOKIE")
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  if attempt then
    pending = "confirm"
    return wrk.format("POST", attempt, nil, "action=confirm&csrf_token=" .. csrf)
  end
  pending = "start"
  return wrk.format("POST", start, nil, "csrf_token=" .. csrf)
end

function response(status, headers, body)
  if pending == "start" and status == 303 then
    local location = headers["Location"] or headers["location"] or ""
    attempt = string.gsub(location, "^https?://[^/]+", "")
  else
    attempt = nil
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f status_errors=%d socket_errors=%d bytes=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.status, e.connect + e.read + e.write + e.timeout, summary.bytes))
end
