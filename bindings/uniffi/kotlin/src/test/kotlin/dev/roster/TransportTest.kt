package dev.roster

import java.math.BigDecimal
import java.net.ServerSocket
import kotlin.concurrent.thread
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** How transport failures reach the core, and what the binding does with values at the edge. */
class TransportTest {
    private fun token(transport: HttpTransport, sleeper: Sleeper = InstantSleeper(), retry: RetrySettings? = null) =
        Voximplant.withToken(
            Secret("test-token"), transport, sleeper,
            ClientOptions(baseUrl = "https://api.voximplant.com", retry = retry, seed = 7uL),
        )

    @Test
    fun `an unexpected exception of the host transport is a typed transport error`() {
        val throwing = object : HttpTransport {
            override suspend fun send(request: HttpRequest): HttpResponse = throw IllegalStateException("boom")
        }
        val e = assertThrows<RosterException.Transport> {
            runBlocking { token(throwing, retry = oneAttempt).skills().getSkills(GetSkills()) }
        }
        assertEquals("interrupted", e.transportKind)
        assertTrue(e.reason.contains("boom"), e.reason)
    }

    @Test
    fun `a transport that throws an Error ends the call instead of hanging it`() {
        // uniffi's generated callback code caught only Exception; prepare.sh widens it to
        // Throwable, so an AssertionError (or TODO()) reaches Rust as an unexpected error.
        val throwing = object : HttpTransport {
            override suspend fun send(request: HttpRequest): HttpResponse = throw AssertionError("boom")
        }
        var e: RosterException.Transport? = null
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20)) {
            e = assertThrows<RosterException.Transport> {
                runBlocking { token(throwing, retry = oneAttempt).skills().getSkills(GetSkills()) }
            }
        }
        assertEquals("interrupted", e!!.transportKind)
    }

    @Test
    fun `the transport starts in the caller's thread and resumes off it after suspending`() {
        // prepare.sh starts uniffi's foreign calls UNDISPATCHED: no thread hop before the
        // transport's first suspension; after it, the call goes on on Dispatchers.Default.
        val seen = mutableListOf<Thread>()
        val answer = response(200, """{"result":[],"total_count":0,"count":0}""")
        val transport = object : HttpTransport {
            override suspend fun send(request: HttpRequest): HttpResponse {
                seen += Thread.currentThread()
                kotlinx.coroutines.yield()
                seen += Thread.currentThread()
                return answer
            }
        }
        val caller = Thread.currentThread()
        runBlocking { token(transport).skills().getSkills(GetSkills()) }
        assertEquals(caller, seen[0])
        assertTrue(seen[1].name.startsWith("DefaultDispatcher-worker"), seen[1].name)
    }

    @Test
    fun `a refused connection is not_sent, so even a once write is retried`() {
        val port = ServerSocket(0).use { it.localPort } // closed again: connecting is refused
        val sleeper = InstantSleeper()
        val client = Voximplant.withToken(
            Secret("test-token"), HttpUrlConnectionTransport(), sleeper,
            ClientOptions(baseUrl = "http://127.0.0.1:$port", retry = RetrySettings(maxAttempts = 3u), seed = 1uL),
        )
        val e = assertThrows<RosterException.Transport> {
            runBlocking { client.users().addUser(AddUser("jdoe", "John", Secret("S3cure!pass"), applicationId = 1)) }
        }
        assertEquals("not_sent", e.transportKind)
        assertEquals(2, sleeper.sleeps.size, "three attempts, two backoffs")
    }

    @Test
    fun `a server that accepts and never answers times out`() {
        ServerSocket(0).use { server ->
            val held = mutableListOf<java.net.Socket>()
            val acceptor = thread(isDaemon = true) { runCatching { while (true) held += server.accept() } }
            val client = Voximplant.withToken(
                Secret("test-token"), HttpUrlConnectionTransport(), InstantSleeper(),
                ClientOptions(
                    baseUrl = "http://127.0.0.1:${server.localPort}",
                    retry = RetrySettings(maxAttempts = 1u, attemptTimeoutMs = 300uL), seed = 1uL,
                ),
            )
            val e = assertThrows<RosterException.Transport> {
                runBlocking { client.skills().getSkills(GetSkills()) }
            }
            assertEquals("timed_out", e.transportKind)
            acceptor.interrupt()
        }
    }

    @Test
    fun `a once write whose answer was lost is outcome_unknown, not resent`() {
        val transport = object : HttpTransport {
            var calls = 0
            override suspend fun send(request: HttpRequest): HttpResponse {
                calls++
                throw TransportFailure.TimedOut("no answer")
            }
        }
        val e = assertThrows<RosterException.OutcomeUnknown> {
            runBlocking {
                token(transport).users().transferMoneyToUser(
                    TransferMoneyToUser(amount = BigDecimal("1.00"), userId = IdList.Ids(listOf(1)), applicationId = 1),
                )
            }
        }
        assertEquals(1, transport.calls)
        assertEquals("TransferMoneyToUser", e.method)
        assertEquals("outcome_unknown", e.code())
    }

    @Test
    fun `money is exact both ways`() = runBlocking {
        val body = """{"result":[{"user_id":1,"user_name":"a","balance":12345678901234567.89}],"total_count":1,"count":1}"""
        val stub = StubTransport { response(200, body) }
        val user = token(stub).users().getUsers(GetUsers(applicationId = 1)).items.single()
        assertEquals(BigDecimal("12345678901234567.89"), user.balance)

        val sent = StubTransport { response(200, """{"result":1}""") }
        token(sent).users().transferMoneyToUser(
            TransferMoneyToUser(amount = BigDecimal("0.10"), userId = IdList.Ids(listOf(1)), applicationId = 1),
        )
        assertEquals("0.10", decodeForm(String(sent.sent.single().body()))["amount"])
    }

    @Test
    fun `secrets print redacted`() {
        val params = AddUser("jdoe", "John", Secret("S3cure!pass"), applicationId = 1)
        assertFalse(params.toString().contains("S3cure"), params.toString())
        val client = token(StubTransport { response(200, "{}") })
        assertFalse(client.toString().contains("test-token"))
    }

    @Test
    fun `printing a request shows neither the token nor the password`() = runBlocking {
        val stub = StubTransport { response(200, """{"result":1,"user_id":3}""") }
        token(stub).users().addUser(AddUser("jdoe", "John", Secret("S3cure!pass"), applicationId = 1))
        val request = stub.sent.single()
        val printed = listOf(request.toString(), "$request", "sent: $request", request.redacted())
        for (text in printed) {
            assertFalse(text.contains("test-token"), text)
            assertFalse(text.contains("S3cure"), text)
        }
        // What the redaction keeps: the method and URL, and the header names.
        assertTrue(request.toString().startsWith("POST https://api.voximplant.com/"), request.toString())
        assertTrue(request.toString().contains("AddUser"), request.toString())
        assertTrue(request.toString().contains("authorization: Bearer [redacted]"), request.toString())
        assertTrue(request.toString().contains("user_password=[redacted]"), request.toString())
        // The accessors still give the transport the real values to send.
        assertEquals("Bearer test-token", header(request, "authorization"))
        assertEquals("Bearer test-token", request.header("Authorization"))
        assertEquals("S3cure!pass", decodeForm(String(request.body()))["user_password"])
    }

    @Test
    fun `every attempt carries its timeouts and a redacted description`() = runBlocking {
        val stub = StubTransport { response(200, """{"result":1,"user_id":3}""") }
        token(stub, retry = RetrySettings(connectTimeoutMs = 1234uL, attemptTimeoutMs = 5678uL))
            .users().addUser(AddUser("jdoe", "John", Secret("S3cure!pass"), applicationId = 1))
        val r = stub.sent.single()
        assertEquals(1234uL, r.connectTimeoutMs())
        assertEquals(5678uL, r.timeoutMs())
        assertFalse(r.redacted().contains("S3cure") || r.redacted().contains("test-token"), r.redacted())
        assertEquals("Bearer test-token", header(r, "authorization"))
    }
}
