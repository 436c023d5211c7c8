package dev.roster

import java.io.File
import java.nio.file.Files
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * What the Kotlin side adds around the core's settings resolver: the JVM's [SystemSettingsHost],
 * the [Roster] factory's paths and providers, and how failures of the host's own callbacks
 * (environment lookup, clock, token provider, attempt listener) surface.
 */
class SettingsTest {
    private val credentialsJson = File(repo, "tests/fixtures/credentials.json").readText()

    /** A fragment of the fixture's private key, which no message may show. */
    private val keyFragment: String = json.readTree(credentialsJson)["private_key"].asText()
        .lines().first { !it.startsWith("-----") && it.length > 20 }.take(16)

    private val usersPage = """{"result":[{"user_id":1,"user_name":"ann"}],"total_count":1,"count":1}"""

    private fun shown(e: Throwable) = listOf(e.message ?: "", e.toString(), e.stackTraceToString())

    @Test
    fun `the JVM host reads files and reports a missing one without its path`() {
        val file = Files.createTempFile("roster-creds", ".json").toFile()
        try {
            file.writeText(credentialsJson)
            assertEquals(credentialsJson, String(SystemSettingsHost.readFile(file.path)))
        } finally {
            file.delete()
        }
        val missing = assertThrows<HostFailure.Unreadable> { SystemSettingsHost.readFile("/nowhere/sk_live_0123456789") }
        assertEquals("No such file or directory", missing.reason)
        val dir = assertThrows<HostFailure.Unreadable> { SystemSettingsHost.readFile(System.getProperty("java.io.tmpdir")) }
        assertEquals("Is a directory", dir.reason)
        // The environment is the JVM's own.
        val (name, value) = System.getenv().entries.first()
        assertEquals(value, SystemSettingsHost.env(name))
        assertEquals(null, SystemSettingsHost.env("ROSTER_TEST_SURELY_UNSET_VARIABLE"))
    }

    @Test
    fun `the factory takes a credentials path and signs tokens with the key in it`() = runBlocking {
        val file = Files.createTempFile("roster-creds", ".json").toFile()
        try {
            file.writeText("\uFEFF" + credentialsJson + "\n")
            val stub = StubTransport { response(200, usersPage) }
            val vox = Roster.voximplant(file.path, "https://vox.test", stub)
            vox.users().getUsers(GetUsers(applicationId = 1))
            assertTrue(header(stub.sent.single(), "authorization")!!.startsWith("Bearer eyJ"))
        } finally {
            file.delete()
        }
    }

    @Test
    fun `a key given where a path was expected is never shown`() {
        for (wrong in listOf("sk_live_0123456789abcdef", json.readTree(credentialsJson)["private_key"].asText())) {
            val e = assertThrows<RosterException.Config> { Roster.voximplant(wrong, "https://vox.test", StubTransport { response(200, "{}") }) }
            for (text in shown(e)) {
                assertFalse(text.contains("sk_live") || text.contains(keyFragment), text)
            }
            assertTrue(e.reason.contains("`credentials` argument"), e.reason)
        }
    }

    @Test
    fun `a Voiso key with a trailing newline is trimmed, one with a line break inside refused unseen`() = runBlocking {
        val stub = StubTransport { response(200, "[]") }
        Roster.voiso("k3y-secret\n", "https://voiso.test", stub).users().listUsers(ListUsers())
        assertEquals("Bearer k3y-secret", header(stub.sent.single(), "authorization"))
        val e = assertThrows<RosterException.Config> { Roster.voiso("k3y\nsecret", "https://voiso.test", stub) }
        for (text in shown(e)) assertFalse(text.contains("k3y"), text)
    }

    @Test
    fun `settings come from the lent host's environment and files`() = runBlocking {
        val host = object : SettingsHost {
            override fun env(name: String): String? = mapOf(
                "VOXIMPLANT_CREDENTIALS" to "/etc/roster/credentials.json",
                "VOXIMPLANT_BASE_URL" to "https://env.test/prefix",
            )[name]

            override fun readFile(path: String): ByteArray =
                if (path == "/etc/roster/credentials.json") credentialsJson.toByteArray() else throw HostFailure.Unreadable("No such file or directory")
        }
        val stub = StubTransport { response(200, usersPage) }
        val vox = Roster.voximplant(transport = stub, host = host)
        vox.users().getUsers(GetUsers(applicationId = 1))
        assertEquals("https://env.test/prefix/platform_api/GetUsers", stub.sent.single().url())
    }

    @Test
    fun `an environment lookup the host fails is a config error, never taken as unset`() {
        val host = object : SettingsHost {
            override fun env(name: String): String? = throw HostFailure.Failed("the vault is sealed")
            override fun readFile(path: String): ByteArray = throw HostFailure.Unreadable("No such file or directory")
        }
        val e = assertThrows<RosterException.Config> { Roster.voiso(transport = StubTransport { response(200, "{}") }, host = host) }
        assertTrue(e.reason.contains("VOISO_API_KEY") && e.reason.contains("the vault is sealed"), e.reason)
    }

    @Test
    fun `a token provider's failure ends the call as an auth error and nothing is sent`() {
        val stub = StubTransport { response(200, usersPage) }
        val vox = Roster.voximplantWithTokenProvider("https://vox.test", stub) { throw IllegalStateException("token service down") }
        val e = assertThrows<RosterException.Auth> { runBlocking { vox.users().getUsers(GetUsers(applicationId = 1)) } }
        assertTrue(e.reason.contains("token provider") && e.reason.contains("token service down"), e.reason)
        assertTrue(stub.sent.isEmpty())
    }

    @Test
    fun `a provided token is asked for once and then cached`() = runBlocking {
        val asked = mutableListOf<Boolean>()
        val stub = StubTransport { response(200, usersPage) }
        val vox = Roster.voximplantWithTokenProvider("https://vox.test", stub) { force ->
            asked += force
            "provided-token\n"
        }
        repeat(2) { vox.users().getUsers(GetUsers(applicationId = 1)) }
        assertEquals(listOf(false), asked)
        assertEquals(listOf("Bearer provided-token", "Bearer provided-token"), stub.sent.map { header(it, "authorization") })
    }

    @Test
    fun `a throwing attempt listener does not change the call's outcome`() = runBlocking {
        val stub = StubTransport { response(200, usersPage) }
        val seen = mutableListOf<AttemptRecord>()
        val listener = object : AttemptListener {
            override fun onAttempt(attempt: AttemptRecord) {
                seen += attempt
                throw IllegalStateException("log full")
            }
        }
        val vox = Voximplant(
            VoximplantAuth.Token(Secret("test-token")), stub, InstantSleeper(),
            ClientOptions(baseUrl = "https://vox.test", onAttempt = listener),
        )
        assertEquals(1, vox.users().getUsers(GetUsers(applicationId = 1)).items.size)
        val record = seen.single()
        assertEquals("GetUsers attempt 1 (call): POST https://vox.test/platform_api/GetUsers -> HTTP 200", record.text)
        assertEquals(listOf("GetUsers", "call", "HTTP 200"), listOf(record.method, record.purpose, record.outcome))
        assertFalse(record.toString().contains("test-token"))
    }

    @Test
    fun `time comes only from the lent clock`() {
        // A deadline of 1 s and a clock that jumps 2 s per reading: the call gives up before
        // its second attempt, although no real time passes.
        var now = 1_700_000_000_000L
        val clock = object : TimeSource {
            override fun nowMs(): ULong {
                now += 2_000
                return now.toULong()
            }
        }
        val stub = StubTransport { response(502, "bad gateway") }
        val vox = Voximplant(
            VoximplantAuth.Token(Secret("test-token")), stub, InstantSleeper(),
            ClientOptions(baseUrl = "https://vox.test", clock = clock, retry = RetrySettings(deadlineMs = 1_000uL), seed = 1uL),
        )
        assertThrows<RosterException> { runBlocking { vox.users().getUsers(GetUsers(applicationId = 1)) } }
        assertEquals(1, stub.sent.size)
    }

    @Test
    fun `a clock that throws is a config error`() {
        val clock = object : TimeSource {
            override fun nowMs(): ULong = throw IllegalStateException("no time")
        }
        val e = assertThrows<RosterException.Config> {
            Voximplant(VoximplantAuth.Token(Secret("test-token")), StubTransport { response(200, usersPage) }, InstantSleeper(), ClientOptions(clock = clock))
        }
        assertTrue(e.reason.contains("clock"), e.reason)
    }

    @Test
    fun `retry settings are the core's, out of range is a config error naming the field`() {
        val e = assertThrows<RosterException.Config> {
            Roster.voximplantWithToken("t", "https://vox.test", StubTransport { response(200, "{}") }, RetrySettings(jitterPercent = 101u))
        }
        assertTrue(e.reason.contains("jitter_percent"), e.reason)
    }
}
