/**
 * The admission gate of src/domain/admission/admission-gate.ts as one Redis script, so that
 * every API node decides against the same bucket, ceiling and line, atomically. Same rules:
 *
 * - a token bucket at the admit rate (`tokens`, `at` in the meta hash), full at creation;
 * - the line is a sorted set: places taken after go-live score 0, 1, 2... (first come);
 *   places taken in the pre-queue score a random number in [-1, 0), so at go-live (a flip
 *   of `phase`) they stand ahead of everyone later, in random order: the shuffled draw;
 * - a place's state in the entries hash: "lastSeen|confirmed|releasedAt|skipped";
 * - released places (a token and a seat given, not yet collected) in `held`, scored by
 *   release time; places passed over while unconfirmed in `skipped`, scored by last seen;
 * - releases per second in `rel` for the wait estimate when the ceiling is reached;
 * - newcomers per second in `arr`: while more than `confirmAbove` arrive (this second or the
 *   last), a newcomer gets a place even with tokens to spare and must come back once;
 * - every waiting place (pre-queue, line, passed over) in `seen`, scored by its client's last
 *   request: each call first drops the places not asked about for `abandonAfter`, wherever
 *   they stand, so ZRANK and ZCARD count only clients still there;
 * - the places of the line that count in positions in `counted` (same scores as `line`):
 *   confirmed ones, and new ones for `confirmGrace` ms (`fresh`, scored by birth), after which
 *   a place whose client never came back stops counting until it does.
 *
 * Clock, new ids and random draws come from the caller (ARGV), as in the pure gate.
 * Work per call is bounded (`maxSteps` line heads looked at), amortised over arrivals.
 *
 * KEYS: meta, line, entries, held, skipped, rel, arr, seen, counted, fresh
 * ARGV: phase, entryId|"", nowMs, activeListeners, untilOpenMs|"", newId, jitterRandom,
 *       drawRandom, admitRate, burst, maxListeners, abandonAfterMs, holdReleasedMs,
 *       minRetrySeconds, maxRetrySeconds, maxQueueLength, ttlMs, confirmAboveArrivalsPerSecond,
 *       confirmGraceMs
 * Returns {"admit"} or {"queue", entryId|"", position, estimatedWaitSeconds (-1: unknown),
 *          retryAfterSeconds, phase}.
 */
export const admissionScript = `
local meta, line, entries, held, skipped, rel, arr, seen = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local counted, fresh = KEYS[9], KEYS[10]
local wantedPhase = ARGV[1]
local entryId = ARGV[2]
local now = tonumber(ARGV[3])
local active = tonumber(ARGV[4])
local untilOpen = tonumber(ARGV[5])
local newId = ARGV[6]
local jitterRandom = tonumber(ARGV[7])
local drawRandom = tonumber(ARGV[8])
local rate = tonumber(ARGV[9])
local burst = tonumber(ARGV[10])
local maxListeners = tonumber(ARGV[11])
local abandonAfter = tonumber(ARGV[12])
local holdReleased = tonumber(ARGV[13])
local minRetry = tonumber(ARGV[14])
local maxRetry = tonumber(ARGV[15])
local maxQueue = tonumber(ARGV[16])
local ttl = tonumber(ARGV[17])
local confirmAbove = tonumber(ARGV[18])
local confirmGrace = tonumber(ARGV[19])
local maxSteps = 2000
local releaseWindow = 30

local m = redis.call('HMGET', meta, 'phase', 'tokens', 'at', 'seq')
local phase = m[1] or wantedPhase
if wantedPhase == 'queue' then phase = 'queue' end
local tokens = tonumber(m[2]) or burst
local at = tonumber(m[3]) or now
local seq = tonumber(m[4]) or 0

local function decode(raw)
  if not raw then return nil end
  local seen, confirmed, releasedAt, skip = string.match(raw, '^(%-?%d+)|(%d)|(%-?%d+)|(%d)$')
  return { seen = tonumber(seen), confirmed = confirmed == '1', releasedAt = tonumber(releasedAt), skipped = skip == '1' }
end

local function encode(e)
  return string.format('%d|%d|%d|%d', e.seen, e.confirmed and 1 or 0, e.releasedAt, e.skipped and 1 or 0)
end

local function refill()
  if now > at then
    tokens = math.min(burst, tokens + (now - at) / 1000 * rate)
    at = now
  end
end

local function take()
  refill()
  if tokens < 1 then return false end
  tokens = tokens - 1
  return true
end

local function clamp(x, lo, hi)
  if x < lo then return lo end
  if x > hi then return hi end
  return x
end

local function retryAfter(ideal)
  local jittered = clamp(ideal, minRetry, maxRetry) * (0.8 + 0.4 * jitterRandom)
  return clamp(math.floor(jittered + 0.5), minRetry, maxRetry)
end

local function save()
  redis.call('HSET', meta, 'phase', phase, 'tokens', tostring(tokens), 'at', tostring(at), 'seq', seq)
  for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ttl) end
end

local function countRelease()
  local second = math.floor(now / 1000)
  redis.call('HINCRBY', rel, second, 1)
  redis.call('HDEL', rel, second - releaseWindow)
end

local function releaseRate()
  local second = math.floor(now / 1000)
  local fields = {}
  for s = second - releaseWindow + 1, second do fields[#fields + 1] = s end
  local total = 0
  for _, v in ipairs(redis.call('HMGET', rel, unpack(fields))) do total = total + (tonumber(v) or 0) end
  return total / releaseWindow
end

-- A place leaves the line: it no longer counts in anyone's position either.
local function leaveLine(id)
  redis.call('ZREM', line, id)
  redis.call('ZREM', counted, id)
  redis.call('ZREM', fresh, id)
end

-- A client came back with its place: it counts in the positions behind it (again).
local function confirmInLine(id)
  local score = redis.call('ZSCORE', line, id)
  if score then redis.call('ZADD', counted, score, id) end
  redis.call('ZREM', fresh, id)
end

-- A new place at this score, counted while its client has the grace to come back.
local function joinLine(id, score)
  redis.call('ZADD', line, score, id)
  redis.call('ZADD', counted, score, id)
  redis.call('ZADD', fresh, now, id)
end

-- Places whose clients stopped asking lapse wherever they stand: those behind move up.
local lapsed = redis.call('ZRANGEBYSCORE', seen, '-inf', '(' .. (now - abandonAfter), 'LIMIT', 0, maxSteps)
for _, id in ipairs(lapsed) do
  redis.call('ZREM', seen, id)
  leaveLine(id)
  redis.call('ZREM', skipped, id)
  redis.call('HDEL', entries, id)
end

-- New places whose clients did not come back within the grace stop counting.
local unconfirmed = redis.call('ZRANGEBYSCORE', fresh, '-inf', now - confirmGrace, 'LIMIT', 0, maxSteps)
for _, id in ipairs(unconfirmed) do
  redis.call('ZREM', fresh, id)
  redis.call('ZREM', counted, id)
end

local heldCount = 0

-- Lets expired holds go, then gives tokens and free seats to the head of the line.
local function advance()
  local expired = redis.call('ZRANGEBYSCORE', held, '-inf', '(' .. (now - holdReleased), 'LIMIT', 0, maxSteps)
  for _, id in ipairs(expired) do
    redis.call('ZREM', held, id)
    redis.call('HDEL', entries, id)
  end
  local gone = redis.call('ZRANGEBYSCORE', skipped, '-inf', '(' .. (now - abandonAfter), 'LIMIT', 0, maxSteps)
  for _, id in ipairs(gone) do
    redis.call('ZREM', skipped, id)
    redis.call('HDEL', entries, id)
  end
  heldCount = redis.call('ZCARD', held)
  for _ = 1, maxSteps do
    local head = redis.call('ZRANGE', line, 0, 0)
    local id = head[1]
    if not id then break end
    local e = decode(redis.call('HGET', entries, id))
    if not e then
      leaveLine(id)
    elseif now - e.seen > abandonAfter then
      leaveLine(id)
      redis.call('HDEL', entries, id)
    else
      if active + heldCount >= maxListeners then break end
      refill()
      if tokens < 1 then break end
      leaveLine(id)
      if not e.confirmed then
        -- Its turn, but it never came back to ask: passed over without spending the seat.
        e.skipped = true
        redis.call('ZADD', skipped, e.seen, id)
      else
        tokens = tokens - 1
        e.releasedAt = now
        redis.call('ZREM', seen, id)
        redis.call('ZADD', held, now, id)
        heldCount = heldCount + 1
        countRelease()
      end
      redis.call('HSET', entries, id, encode(e))
    end
  end
end

local known = nil
if entryId ~= '' then known = decode(redis.call('HGET', entries, entryId)) end

if phase == 'pre-queue' then
  local id = ''
  if known then
    known.seen = now
    known.confirmed = true
    redis.call('HSET', entries, entryId, encode(known))
    redis.call('ZADD', seen, now, entryId)
    confirmInLine(entryId)
    id = entryId
  elseif redis.call('ZCARD', line) < maxQueue then
    id = newId
    joinLine(id, drawRandom - 1)
    redis.call('ZADD', seen, now, id)
    redis.call('HSET', entries, id, encode({ seen = now, confirmed = false, releasedAt = -1, skipped = false }))
  end
  local size = redis.call('ZCARD', line)
  local untilOpenSeconds = math.max(0, (untilOpen or 0) / 1000)
  local afterOpen = size / 2 / rate
  -- Past the scheduled start (or with none) the wait is the host's to end: no number is honest.
  local wait = -1
  if untilOpen and untilOpen > 0 then wait = math.ceil(untilOpenSeconds + afterOpen) end
  save()
  return { 'queue', id, size, wait, retryAfter(untilOpenSeconds), 'pre-queue' }
end

advance()
-- Read after advancing: the place may have just been released.
if entryId ~= '' then known = decode(redis.call('HGET', entries, entryId)) end

local function queueDecision(id, e)
  local position
  if e and e.skipped then
    position = 1
  elseif e then
    -- The places ahead that count, and this one if it does not count itself yet.
    local score = redis.call('ZSCORE', line, id)
    position = 1
    if score then
      position = redis.call('ZCOUNT', counted, '-inf', score)
      if not redis.call('ZSCORE', counted, id) then position = position + 1 end
    end
  else
    position = redis.call('ZCARD', line) + 1
  end
  local full = active + heldCount >= maxListeners
  local speed = rate
  if full then speed = math.max(releaseRate(), 0.05) end
  local wait = math.min(86400, math.ceil(position / speed))
  save()
  -- A new place comes back at once to confirm (bots ahead are passed over meanwhile).
  local ideal = wait / 2
  if e and not e.confirmed then ideal = 0 end
  return { 'queue', id or '', position, wait, retryAfter(ideal), 'queue' }
end

if known then
  if known.releasedAt >= 0 then
    redis.call('HDEL', entries, entryId)
    redis.call('ZREM', held, entryId)
    redis.call('ZREM', seen, entryId)
    save()
    return { 'admit' }
  end
  known.seen = now
  known.confirmed = true
  redis.call('ZADD', seen, now, entryId)
  if not known.skipped then confirmInLine(entryId) end
  if known.skipped then
    redis.call('ZADD', skipped, now, entryId)
    if active + heldCount < maxListeners and take() then
      redis.call('HDEL', entries, entryId)
      redis.call('ZREM', skipped, entryId)
      redis.call('ZREM', seen, entryId)
      save()
      return { 'admit' }
    end
  end
  redis.call('HSET', entries, entryId, encode(known))
  return queueDecision(entryId, known)
end

local nobodyWaiting = redis.call('ZCARD', line) == 0 and redis.call('ZCARD', skipped) == 0
-- Newcomers this second and the last: in a flood, each must come back once with its place.
local second = math.floor(now / 1000)
local arrivals = redis.call('HINCRBY', arr, second, 1)
local before = tonumber(redis.call('HGET', arr, second - 1) or '0')
redis.call('HDEL', arr, second - 2)
local flooded = math.max(arrivals, before) > confirmAbove
if nobodyWaiting and not flooded and active + heldCount < maxListeners and take() then
  save()
  return { 'admit' }
end
if redis.call('ZCARD', line) >= maxQueue then return queueDecision(nil, nil) end
local e = { seen = now, confirmed = false, releasedAt = -1, skipped = false }
joinLine(newId, seq)
redis.call('ZADD', seen, now, newId)
seq = seq + 1
redis.call('HSET', entries, newId, encode(e))
return queueDecision(newId, e)
`;
