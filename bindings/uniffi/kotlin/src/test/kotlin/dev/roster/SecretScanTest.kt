package dev.roster

import com.sun.net.httpserver.HttpServer
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import java.net.InetSocketAddress
import java.util.logging.Handler
import java.util.logging.Level
import java.util.logging.LogRecord
import java.util.logging.Logger
import java.util.logging.SimpleFormatter
import kotlinx.coroutines.runBlocking
import okhttp3.OkHttpClient
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Every credential, in every wrong form a careless caller gives it, through the Kotlin API (the
 * forms of `bindings/rust/tests/secret_scan.rs`): no fragment of the private key, a token, a
 * password or a Voiso key may appear in any exception's message or `toString()` (its causes
 * and stack trace included), a client's, [Secret]'s, parameter record's or [HttpRequest]'s
 * `toString()`, [HttpRequest.redacted], an [AttemptRecord], or anything logged: every
 * `java.util.logging` record at level ALL (where the JDK's `HttpURLConnection` and OkHttp log)
 * and everything printed to stdout and stderr while the scan runs, with real exchanges over
 * loopback through both shipped transports.
 */
class SecretScanTest {
    private val credentials = File(repo, "tests/fixtures/credentials.json").readText()
    private val pem: String = json.readTree(credentials)["private_key"].asText()

    /** Slices of the PEM body, the whole token, key, password and the URL's password. */
    private val fragments: List<String> =
        pem.lines().filter { !it.startsWith("-----") && it.length >= 24 }.flatMap { listOf(it.take(12), it.takeLast(12)) } +
            listOf("PRIVATE KEY", TOKEN, VOISO_KEY, PASSWORD, URL_PASSWORD)

    private val usersPage = """{"result":[{"user_id":1,"user_name":"ann"}],"total_count":1,"count":1}"""

    /** What the scan searched and found. */
    private inner class Scan {
        val leaks = mutableListOf<String>()
        var forms = 0
        var texts = 0

        fun text(what: String, text: String) {
            texts++
            for (f in fragments) {
                if (text.contains(f)) leaks += "$what shows \"$f\": ${text.take(200)}"
            }
            MINTED.find(text)?.let { leaks += "$what shows a signed token: ${text.take(200)}" }
        }

        fun error(what: String, e: Throwable) {
            var t: Throwable? = e
            var depth = 0
            while (t != null && depth < 10) {
                text("$what: message (cause $depth)", t.message ?: "")
                text("$what: toString (cause $depth)", t.toString())
                if (t is RosterException.OutcomeUnknown) text("$what: request", t.request)
                t = t.cause
                depth++
            }
            text("$what: stack trace", e.stackTraceToString())
        }

        /** A client made, or the exception that refused it. */
        fun made(what: String, make: () -> Any): Any? = try {
            make().also { text("$what: client", it.toString()) }
        } catch (e: Throwable) {
            error(what, e)
            null
        }

        /** A call's result, or the exception that ended it. */
        fun called(what: String, call: suspend () -> Any?) {
            try {
                text("$what: result", runBlocking { call() }.toString())
            } catch (e: Throwable) {
                error(what, e)
            }
        }
    }

    /** Answers from [answers] by method (`GetUsers` by default) and keeps each request's printed forms. */
    private class Scripted(val scan: Scan, val answers: Map<String, () -> HttpResponse> = emptyMap()) : HttpTransport {
        var sent = 0

        override suspend fun send(request: HttpRequest): HttpResponse {
            sent++
            scan.text("HttpRequest.toString", request.toString())
            scan.text("HttpRequest.redacted", request.redacted())
            val method = request.url().substringAfterLast('/').substringBefore('?')
            return (answers[method] ?: answers["*"])?.invoke()
                ?: response(200, """{"result":[{"user_id":1,"user_name":"ann"}],"total_count":1,"count":1}""")
        }
    }

    /** Keeps every attempt record's printed forms. */
    private class Records(val scan: Scan) : AttemptListener {
        var seen = 0

        override fun onAttempt(attempt: AttemptRecord) {
            seen++
            scan.text("AttemptRecord", attempt.toString())
            scan.text("AttemptRecord.text", attempt.text)
        }
    }

    /** A host whose environment and files hold what a form puts there. */
    private class Host(val env: Map<String, String> = emptyMap(), val files: Map<String, ByteArray> = emptyMap()) : SettingsHost {
        override fun env(name: String): String? = env[name]
        override fun readFile(path: String): ByteArray = files[path] ?: throw HostFailure.Unreadable("No such file or directory")
    }

    private fun options(scan: Scan, host: SettingsHost = Host(), baseUrl: String? = "https://vox.test") =
        ClientOptions(baseUrl = baseUrl, retry = RetrySettings(maxAttempts = 2u), seed = 1uL, binding = "kotlin", host = host, onAttempt = Records(scan))

    @Test
    fun `no credential shows in any form`() {
        val scan = Scan()
        captured(scan) {
            wrongCredentials(scan)
            tokensAndKeys(scan)
            baseUrls(scan)
            passwords(scan)
            overTheWire(scan)
        }
        assertTrue(scan.forms >= 40, "only ${scan.forms} forms scanned")
        assertEquals(emptyList<String>(), scan.leaks, "${scan.leaks.size} leaks in ${scan.texts} texts:\n" + scan.leaks.joinToString("\n"))
        println("secret scan (kotlin): ${scan.forms} credential forms, ${scan.texts} texts searched, 0 leaks")
    }

    /** The service account's credentials where a path or the JSON was expected, in every form. */
    private fun wrongCredentials(scan: Scan) {
        val forms = listOf(
            "the JSON" to credentials,
            "the JSON with a BOM" to "\uFEFF" + credentials + "\n",
            "the JSON with a BOM and a tail" to "\uFEFF${credentials}x",
            "the PEM" to pem,
            "the PEM on one line" to pem.replace("\n", ""),
            "the PEM with \\n escapes" to pem.replace("\n", "\\n"),
            "JSON missing key_id" to credentials.replace("\"key_id\"", "\"kid\""),
            "truncated JSON" to credentials.substring(0, credentials.length / 2),
            // A key where the path was expected: not shown, since it does not name a .json file.
            "a key as a path" to TOKEN,
        )
        for ((name, text) in forms) {
            val ways = listOf<Pair<String, () -> Any>>(
                "argument" to { Voximplant(VoximplantAuth.Credentials(Secret(text)), Scripted(scan), InstantSleeper(), options(scan)) },
                "factory" to { Roster.voximplant(text, "https://vox.test", Scripted(scan), host = Host()) },
                "VOXIMPLANT_CREDENTIALS" to {
                    Voximplant(VoximplantAuth.Environment, Scripted(scan), InstantSleeper(), options(scan, Host(mapOf("VOXIMPLANT_CREDENTIALS" to text))))
                },
                "file" to {
                    val host = Host(mapOf("VOXIMPLANT_CREDENTIALS" to "/etc/roster/credentials.json"), mapOf("/etc/roster/credentials.json" to text.toByteArray()))
                    Voximplant(VoximplantAuth.Environment, Scripted(scan), InstantSleeper(), options(scan, host))
                },
            )
            for ((way, make) in ways) {
                scan.forms++
                val what = "credentials: $name ($way)"
                val client = scan.made(what, make) as Voximplant? ?: continue
                scan.called("$what, GetUsers") { client.users.getUsers(GetUsers(applicationId = 1)) }
            }
        }
        // Bytes that are not text (a lone surrogate in the JSON): refused, unseen.
        scan.forms++
        scan.made("credentials: JSON with a lone surrogate") {
            Voximplant(VoximplantAuth.Credentials(Secret(credentials.replace("}", "\uDCFF}"))), Scripted(scan), InstantSleeper(), options(scan))
        }
    }

    /** Tokens and Voiso keys with whitespace, a scheme, a line break: trimmed or refused, never shown. */
    private fun tokensAndKeys(scan: Scan) {
        val tokens = listOf("$TOKEN\n", "$TOKEN\r\n", "Bearer $TOKEN", "$TOKEN x", " $TOKEN\tx", "$TOKEN\nx")
        for (token in tokens) {
            scan.forms++
            val what = "token ${json.writeValueAsString(token.replace(TOKEN, "T"))}"
            (scan.made(what) { Voximplant(VoximplantAuth.Token(Secret(token)), Scripted(scan), InstantSleeper(), options(scan)) } as Voximplant?)
                ?.let { vox -> scan.called("$what, GetUsers") { vox.call("GetUsers", """{"application_id":1}""") } }
            scan.forms++
            (scan.made("$what (factory)") { Roster.voximplantWithToken(token, "https://vox.test", Scripted(scan), host = Host()) })
            // The same from a token provider: checked by the same rule when the call asks.
            scan.forms++
            val provided = Voximplant(VoximplantAuth.Provider(tokenProvider { token }), Scripted(scan), InstantSleeper(), options(scan))
            scan.text("client (provider)", provided.toString())
            scan.called("$what from a provider") { provided.users.getUsers(GetUsers(applicationId = 1)) }
        }
        scan.forms++
        val failing = Voximplant(VoximplantAuth.Provider(tokenProvider { throw IllegalStateException("no token") }), Scripted(scan), InstantSleeper(), options(scan))
        scan.called("a failing provider") { failing.users.getUsers(GetUsers(applicationId = 1)) }

        val keys = listOf("$VOISO_KEY\n", " $VOISO_KEY extra", "Bearer $VOISO_KEY", "$VOISO_KEY\r\nx")
        for (key in keys) {
            val what = "Voiso key ${json.writeValueAsString(key.replace(VOISO_KEY, "K"))}"
            val ways = listOf<Pair<String, () -> Any>>(
                "argument" to { Voiso(Secret(key), Scripted(scan), InstantSleeper(), options(scan, baseUrl = "https://voiso.test")) },
                "VOISO_API_KEY" to { Voiso(null, Scripted(scan), InstantSleeper(), options(scan, Host(mapOf("VOISO_API_KEY" to key)), "https://voiso.test")) },
                "factory" to { Roster.voiso(key, "https://voiso.test", Scripted(scan), host = Host()) },
            )
            for ((way, make) in ways) {
                scan.forms++
                val voiso = scan.made("$what ($way)", make) as Voiso? ?: continue
                scan.called("$what ($way), ListUsers") { voiso.users.listUsers(ListUsers()) }
                scan.called("$what ($way), ListUsers by name") { voiso.call("ListUsers", "{}") }
            }
        }
    }

    /** A base URL with a user and a password: refused, given and from the environment, unseen. */
    private fun baseUrls(scan: Scan) {
        val urls = listOf("https://admin:$URL_PASSWORD@127.0.0.1:9", "https://$URL_PASSWORD@h/p", "https://admin:$URL_PASSWORD@h:99999/")
        for (url in urls) {
            val ways = listOf<Pair<String, () -> Any>>(
                "Voximplant, given" to { Voximplant(VoximplantAuth.Token(Secret("t")), Scripted(scan), InstantSleeper(), options(scan, baseUrl = url)) },
                "Voximplant, VOXIMPLANT_BASE_URL" to {
                    Voximplant(VoximplantAuth.Token(Secret("t")), Scripted(scan), InstantSleeper(), options(scan, Host(mapOf("VOXIMPLANT_BASE_URL" to url)), null))
                },
                "Voiso, given" to { Voiso(Secret("k"), Scripted(scan), InstantSleeper(), options(scan, baseUrl = url)) },
                "Voiso, VOISO_BASE_URL" to { Voiso(Secret("k"), Scripted(scan), InstantSleeper(), options(scan, Host(mapOf("VOISO_BASE_URL" to url)), null)) },
                "factory" to { Roster.voiso("k", url, Scripted(scan), host = Host()) },
            )
            for ((way, make) in ways) {
                scan.forms++
                val made = scan.made("base URL ($way)", make)
                check(made == null) { "a base URL with a password was accepted ($way)" }
            }
        }
    }

    /** A password parameter: typed and by name, sent, refused, lost with the answer. */
    private fun passwords(scan: Scan) {
        val vox = Voximplant(VoximplantAuth.Credentials(Secret(credentials)), Scripted(scan, mapOf("AddUser" to { response(200, """{"result":1,"user_id":7}""") }, "SetUserInfo" to { response(200, """{"result":1}""") })), InstantSleeper(), options(scan))
        val record = AddUser(userName = "jdoe", userDisplayName = "J", userPassword = Secret(PASSWORD), applicationId = 1)
        scan.forms++
        scan.text("Secret.toString", Secret(PASSWORD).toString())
        scan.text("AddUser record", record.toString())
        scan.called("AddUser typed") { vox.users.addUser(record) }
        scan.forms++
        val params = """{"user_name":"jdoe","user_display_name":"J","user_password":"$PASSWORD","application_id":1}"""
        scan.called("AddUser by name") { vox.call("AddUser", params) }
        scan.forms++
        val info = SetUserInfo(userPassword = Secret(PASSWORD), userId = 7, applicationId = 1)
        scan.text("SetUserInfo record", info.toString())
        scan.called("SetUserInfo typed") { vox.users.setUserInfo(info) }
        // Refused or trimmed by the password policy; the value is never quoted.
        for (weak in listOf("$PASSWORD ", "\t$PASSWORD", "$PASSWORD\n", "$PASSWORD\u0000", "$PASSWORD\uDCFF")) {
            scan.forms++
            val text = json.writeValueAsString(weak)
            scan.called("a weak password by name") {
                vox.call("AddUser", """{"user_name":"jdoe","user_display_name":"J","user_password":$text,"application_id":1}""")
            }
            scan.called("a weak password typed") {
                vox.users.addUser(AddUser(userName = "jdoe", userDisplayName = "J", userPassword = Secret(weak), applicationId = 1))
            }
        }
        // A password in parameters that are not JSON (cut short, a raw line break in it).
        scan.forms++
        scan.called("parameters cut short") { vox.call("AddUser", """{"user_password":"$PASSWORD""") }
        scan.called("a raw line break") { vox.call("AddUser", "{\"user_password\":\"$PASSWORD\n\"}") }
        // The answer is lost after sending: the write is looked up, and may end unknown.
        scan.forms++
        val lost = Voximplant(
            VoximplantAuth.Token(Secret(TOKEN)),
            Scripted(scan, mapOf("AddUser" to { throw TransportFailure.TimedOut("the answer was lost") }, "GetUsers" to { response(200, """{"result":[],"total_count":0,"count":0}""") })),
            InstantSleeper(), options(scan),
        )
        scan.called("AddUser, answer lost") { lost.users.addUser(record) }
        scan.called("SetUserInfo, answer lost") {
            lost.callWith("SetUserInfo", """{"user_id":7,"user_password":"$PASSWORD"}""", RetrySettings(maxAttempts = 1u))
        }
        // Server errors that echo nothing of ours still go through every printed form.
        scan.forms++
        val refused = Voximplant(
            VoximplantAuth.Token(Secret(TOKEN)),
            Scripted(scan, mapOf("*" to { response(200, """{"error":{"code":118,"msg":"User already exists"}}""") })),
            InstantSleeper(), options(scan),
        )
        scan.called("AddUser refused by the API") { refused.users.addUser(record) }
    }

    /** Real exchanges over loopback through both shipped transports, with every log on. */
    private fun overTheWire(scan: Scan) {
        val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
        server.createContext("/") { ex ->
            ex.requestBody.readBytes()
            val body = when {
                ex.requestURI.path.endsWith("/AddUser") -> """{"result":1,"user_id":7}"""
                ex.requestURI.path.contains("user_management") -> "[]"
                else -> usersPage
            }.toByteArray()
            ex.responseHeaders.add("Content-Type", "application/json")
            ex.sendResponseHeaders(200, body.size.toLong())
            ex.responseBody.use { it.write(body) }
        }
        server.start()
        try {
            val base = "http://127.0.0.1:${server.address.port}"
            val transports = listOf("HttpURLConnection" to HttpUrlConnectionTransport(), "OkHttp" to OkHttpTransport(OkHttpClient()))
            for ((name, transport) in transports) {
                scan.forms++
                val vox = Voximplant(VoximplantAuth.Token(Secret("$TOKEN\n")), transport, InstantSleeper(), options(scan, baseUrl = base))
                scan.called("$name: GetUsers") { vox.users.getUsers(GetUsers(applicationId = 1)) }
                scan.called("$name: AddUser") {
                    vox.users.addUser(AddUser(userName = "jdoe", userDisplayName = "J", userPassword = Secret(PASSWORD), applicationId = 1))
                }
                scan.forms++
                val signed = Voximplant(VoximplantAuth.Credentials(Secret(credentials)), transport, InstantSleeper(), options(scan, baseUrl = base))
                scan.called("$name: GetUsers, signed") { signed.users.getUsers(GetUsers(applicationId = 1)) }
                scan.forms++
                val voiso = Voiso(Secret(VOISO_KEY), transport, InstantSleeper(), options(scan, baseUrl = base))
                scan.called("$name: Voiso ListUsers") { voiso.users.listUsers(ListUsers()) }
                // Nothing listening: the transport's own failure text.
                scan.forms++
                val closed = java.net.ServerSocket(0).use { it.localPort }
                val refused = Voximplant(VoximplantAuth.Token(Secret(TOKEN)), transport, InstantSleeper(), options(scan, baseUrl = "http://127.0.0.1:$closed"))
                scan.called("$name: connection refused") {
                    refused.users.addUser(AddUser(userName = "jdoe", userDisplayName = "J", userPassword = Secret(PASSWORD), applicationId = 1))
                }
            }
        } finally {
            server.stop(0)
        }
    }

    /**
     * Runs [body] with every `java.util.logging` logger at level ALL and stdout and stderr
     * captured (and kept off the console), then searches all of it. A scan that saw no log record at all would prove
     * nothing about logs, so at least one (the JDK's `HttpURLConnection` logs each request at
     * FINE) must have been seen.
     */
    private fun captured(scan: Scan, body: () -> Unit) {
        val root = Logger.getLogger("")
        val formatter = SimpleFormatter()
        val logged = mutableListOf<String>()
        val handler = object : Handler() {
            override fun publish(record: LogRecord) {
                synchronized(logged) {
                    logged += "${record.loggerName}: ${formatter.formatMessage(record)} ${record.thrown?.stackTraceToString() ?: ""}"
                }
            }
            override fun flush() {}
            override fun close() {}
        }
        handler.level = Level.ALL
        val level = root.level
        // Loggers the JDK made before the scan keep their own levels: open them too.
        val named = listOf("sun.net.www.protocol.http.HttpURLConnection", "okhttp3", "okhttp3.OkHttpClient").map { Logger.getLogger(it) }
        val levels = named.map { it.level }
        val out = System.out
        val err = System.err
        val printed = ByteArrayOutputStream()
        val capture = PrintStream(printed, true, Charsets.UTF_8)
        root.level = Level.ALL
        named.forEach { it.level = Level.ALL }
        root.addHandler(handler)
        System.setOut(capture)
        System.setErr(capture)
        try {
            body()
        } finally {
            System.setOut(out)
            System.setErr(err)
            root.removeHandler(handler)
            root.level = level
            named.zip(levels).forEach { (l, v) -> l.level = v }
        }
        synchronized(logged) {
            assertTrue(logged.any { it.startsWith("sun.net.www.protocol.http.HttpURLConnection") }, "no log record of HttpURLConnection was seen")
            logged.forEach { scan.text("log", it) }
        }
        scan.text("stdout and stderr", synchronized(printed) { printed.toString(Charsets.UTF_8) })
    }

    /** The scan itself: a leak in any place it searches is found. */
    @Test
    fun `the scan finds a planted leak in each place it searches`() {
        val scan = Scan()
        scan.text("text", "x $TOKEN y")
        scan.error("error", RosterException.Config("bad $VOISO_KEY"))
        scan.error("cause", IllegalStateException("outer", RuntimeException("inner $PASSWORD")))
        scan.text("pem", pem.lines()[3])
        scan.text("jwt", "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln")
        val found = scan.leaks.map { it.substringBefore(" shows") }.toSet()
        for (place in listOf("text", "error: message (cause 0)", "error: toString (cause 0)", "cause: message (cause 1)", "cause: stack trace", "pem", "jwt")) {
            assertTrue(place in found, "$place: $found")
        }
        val quiet = Scan()
        captured(quiet) {
            Logger.getLogger("dev.roster.scan").fine("planted $URL_PASSWORD")
            System.err.println("planted $PASSWORD")
            runBlocking {
                val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
                server.createContext("/") { ex -> ex.sendResponseHeaders(200, 2); ex.responseBody.use { it.write("[]".toByteArray()) } }
                server.start()
                try {
                    Voiso(Secret("k"), HttpUrlConnectionTransport(), InstantSleeper(), ClientOptions(baseUrl = "http://127.0.0.1:${server.address.port}"))
                        .users.listUsers(ListUsers())
                } finally {
                    server.stop(0)
                }
            }
        }
        assertEquals(2, quiet.leaks.size, quiet.leaks.joinToString("\n"))
    }

    companion object {
        const val TOKEN = "tok-SECRET-9f8e7d6c5b4a"
        const val VOISO_KEY = "voiso-SECRET-0a1b2c3d4e"
        const val PASSWORD = "Pw-SECRET-1!abc"
        const val URL_PASSWORD = "url-SECRET-pw"

        /** Any JWT (header and claims are JSON objects, `eyJ` in base64url): the tokens the core signs. */
        val MINTED = Regex("""eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.""")
    }
}
