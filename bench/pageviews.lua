-- wrk script: matomo.js-like page-view GETs for bench/track_pageviews.py.
--
--   wrk -c 32 -d 10s --latency -s bench/pageviews.lua http://127.0.0.1:PORT/matomo.php -- IDSITE VISITORS
--
-- Every request is one page view of one of VISITORS visitors (fixed 16-hex ids) on one of
-- PAGE_COUNT distinct pages of https://bench.example.com, with the parameters matomo.js sends
-- (no uadata, send_image=0), a Chrome User-Agent and the visitor's own address in X-Forwarded-For. The random seeds are fixed per wrk thread,
-- so every target gets the identical request stream.

local PAGE_COUNT = 300
local SITE = "https://bench.example.com"
local SECTIONS = { "blog", "docs", "products", "pricing", "about", "support", "news", "careers" }
local RESOLUTIONS = { "1920x1080", "1366x768", "1536x864", "2560x1440", "1440x900", "390x844", "412x915" }
local USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    .. "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
local ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

local thread_count = 0

-- Runs in wrk's main Lua state, once per thread: number the threads so each gets its own seed.
function setup(thread)
    thread_count = thread_count + 1
    thread:set("thread_number", thread_count)
end

local function url_encode(text)
    return (string.gsub(text, "[^%w%-%._~]", function(c)
        return string.format("%%%02X", string.byte(c))
    end))
end

local function random_hex(length)
    local digits = {}
    for i = 1, length do
        digits[i] = string.format("%x", math.random(0, 15))
    end
    return table.concat(digits)
end

local function random_alnum(length)
    local chars = {}
    for i = 1, length do
        local n = math.random(1, #ALNUM)
        chars[i] = string.sub(ALNUM, n, n)
    end
    return table.concat(chars)
end

local function make_pages()
    local pages = {}
    for i = 1, PAGE_COUNT do
        local section = SECTIONS[(i % #SECTIONS) + 1]
        local title = string.format("%s - Page %d - Bench Example", section:gsub("^%l", string.upper), i)
        pages[i] = {
            url = url_encode(string.format("%s/%s/page-%d?utm_source=bench", SITE, section, i)),
            referer = string.format("%s/%s/page-%d?utm_source=bench", SITE, section, i),
            title = url_encode(title),
        }
    end
    return pages
end

-- Runs in each thread's own Lua state, with the arguments after "--".
function init(args)
    idsite = args[1] or "1"
    local visitor_count = tonumber(args[2] or "500")
    math.randomseed(20240601)  -- the same visitors in every thread and every run
    visitors = {}
    for i = 1, visitor_count do
        -- each visitor has its own id and address, as real visitors do (sent as X-Forwarded-For)
        visitors[i] = { id = random_hex(16), ip = string.format("10.%d.%d.%d", i % 200, math.random(0, 255), math.random(1, 254)) }
    end
    pages = make_pages()
    math.randomseed(1000 + (thread_number or 1))  -- the same stream per thread, for every target
end

function request()
    local page = pages[math.random(1, #pages)]
    local visitor = visitors[math.random(1, #visitors)]
    local now = os.date("*t")
    local query = table.concat({
        "action_name=", page.title,
        "&idsite=", idsite,
        "&rec=1",
        "&r=", string.format("%06d", math.random(0, 999999)),
        "&h=", now.hour, "&m=", now.min, "&s=", now.sec,
        "&url=", page.url,
        "&_id=", visitor.id,
        "&_idn=0&send_image=0&_refts=0&cookie=1",
        "&res=", RESOLUTIONS[math.random(1, #RESOLUTIONS)],
        "&pv_id=", random_alnum(6),
    })
    local headers = {
        ["User-Agent"] = USER_AGENT,
        ["Accept"] = "*/*",
        ["Accept-Language"] = "en-US,en;q=0.9",
        ["Referer"] = page.referer,
        ["X-Forwarded-For"] = visitor.ip,
    }
    return wrk.format("GET", wrk.path .. "?" .. query, headers)
end
