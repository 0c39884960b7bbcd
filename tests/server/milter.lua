-- miltertest script for `tsguard milter` (run by test_milter.sh).
-- Globals from -D: socket, mode (tag|reject|quarantine), expect (the
-- verdict `tsguard scan` gives scam.eml), scam_eml, ham_eml.

local function fail(msg)
	-- miltertest does not print errors raised by the script
	mt.echo("FAIL: milter.lua: " .. msg)
	error("milter.lua: " .. msg)
end

local function split(path)
	-- headers and body of an RFC 5322 file with CRLF line ends
	local f = io.open(path, "rb")
	if f == nil then fail("cannot open " .. path) end
	local all = f:read("*a")
	f:close()
	local at = string.find(all, "\r\n\r\n", 1, true)
	local head, body = string.sub(all, 1, at - 1), string.sub(all, at + 4)
	local hdrs = {}
	for line in string.gmatch(head .. "\r\n", "(.-)\r\n") do
		local name, value = string.match(line, "^([^:]+):%s*(.*)$")
		if name ~= nil then table.insert(hdrs, {name, value}) end
	end
	return hdrs, body
end

local conn = mt.connect(socket, 100, 0.2)
if conn == nil then fail("cannot connect to " .. socket) end
if mt.conninfo(conn, "mail.example.net", "127.0.0.1") ~= nil then fail("conninfo") end

-- message 1: the scam, with a forged verdict header the filter must drop
local function send(path, forged)
	local hdrs, body = split(path)
	if mt.mailfrom(conn, "<sender@example.net>") ~= nil then fail("mailfrom") end
	if mt.rcptto(conn, "<victim@example.org>") ~= nil then fail("rcptto") end
	for _, h in ipairs(hdrs) do
		if mt.header(conn, h[1], h[2]) ~= nil then fail("header " .. h[1]) end
	end
	if forged then
		if mt.header(conn, "X-Tsguard-Verdict", "clean") ~= nil then fail("forged header") end
	end
	if mt.eoh(conn) ~= nil then fail("eoh") end
	if mt.bodystring(conn, body) ~= nil then fail("body") end
	if mt.eom(conn) ~= nil then fail("eom") end
end

send(scam_eml, true)
local acted = (expect == "scam")
if mode == "reject" and acted then
	if mt.getreply(conn) ~= SMFIR_REPLYCODE then fail("scam not rejected") end
	-- (SMFIR_REPLYCODE means a custom reply with the rejection; miltertest's
	-- MT_SMTPREPLY check does not match codes in this version, so the code
	-- itself is not compared.)
	if mt.eom_check(conn, MT_HDRADD, "X-Tsguard-Verdict") then fail("headers added to a rejected mail") end
else
	if mt.getreply(conn) ~= SMFIR_CONTINUE and mt.getreply(conn) ~= SMFIR_ACCEPT then
		fail("unexpected reply " .. tostring(mt.getreply(conn)))
	end
	for _, h in ipairs({"X-Tsguard-Verdict", "X-Tsguard-Score", "X-Tsguard-Reasons"}) do
		if not mt.eom_check(conn, MT_HDRADD, h) then fail(h .. " not added") end
	end
	local v = mt.getheader(conn, "X-Tsguard-Verdict", 0)
	if v == nil or string.sub(v, 1, string.len(expect)) ~= expect then
		fail("X-Tsguard-Verdict is '" .. tostring(v) .. "', want " .. expect)
	end
	local score = tonumber(mt.getheader(conn, "X-Tsguard-Score", 0))
	if score == nil or score < 0 or score > 1 then fail("bad X-Tsguard-Score") end
	if not mt.eom_check(conn, MT_HDRDELETE, "X-Tsguard-Verdict") then
		fail("the forged X-Tsguard-Verdict was not deleted")
	end
	if mode == "quarantine" and acted and not mt.eom_check(conn, MT_QUARANTINE) then
		fail("scam not quarantined")
	end
	if mode == "tag" and mt.eom_check(conn, MT_QUARANTINE) then fail("tag mode quarantined") end
end
mt.echo("scam message: ok (" .. mode .. ")")

-- message 2 on the same connection: a plain mail passes, tagged clean
send(ham_eml, false)
if mt.getreply(conn) ~= SMFIR_CONTINUE and mt.getreply(conn) ~= SMFIR_ACCEPT then
	fail("ham refused")
end
local v = mt.getheader(conn, "X-Tsguard-Verdict", 0)
if v ~= "clean" then fail("ham verdict '" .. tostring(v) .. "'") end
if mt.eom_check(conn, MT_QUARANTINE) then fail("ham quarantined") end
mt.echo("ham message: ok")

mt.disconnect(conn)
