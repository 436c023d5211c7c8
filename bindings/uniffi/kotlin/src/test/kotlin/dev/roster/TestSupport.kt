package dev.roster

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import java.io.File
import java.net.URI
import java.net.URLDecoder

val json = ObjectMapper()

/** The repository root (Surefire passes it; running from the IDE falls back to the cwd). */
val repo: File = File(System.getProperty("roster.repo") ?: "../../..").canonicalFile

/** Answers every request with [answer] and keeps what it was sent. */
class StubTransport(private val answer: (HttpRequest) -> HttpResponse) : HttpTransport {
    val sent = mutableListOf<HttpRequest>()

    override suspend fun send(request: HttpRequest): HttpResponse {
        synchronized(sent) { sent += request }
        return answer(request)
    }
}

/** Records the request, then fails as if the connection was refused. */
class RefusingTransport : HttpTransport {
    val sent = mutableListOf<HttpRequest>()

    override suspend fun send(request: HttpRequest): HttpResponse {
        sent += request
        throw TransportFailure.NotSent("refused by the test")
    }
}

/** Sleeps no time, counting the sleeps asked for. */
class InstantSleeper : Sleeper {
    val sleeps = mutableListOf<ULong>()

    override suspend fun sleep(millis: ULong) {
        sleeps += millis
    }
}

fun response(status: Int, body: String) = HttpResponse(status.toUShort(), emptyList(), body.toByteArray())

/** One attempt, no retries: what a conformance case checks. */
val oneAttempt = RetrySettings(maxAttempts = 1u)

fun vectorClient(api: String, transport: HttpTransport, sleeper: Sleeper = InstantSleeper()): (suspend (String, String) -> String) =
    when (api) {
        "voximplant" -> {
            val c = Voximplant.withToken(
                Secret("test-token"), transport, sleeper,
                ClientOptions(baseUrl = "https://api.voximplant.com", retry = oneAttempt, seed = 1uL),
            )
            c::call
        }
        "voiso" -> {
            val c = Voiso(
                Secret("test-voiso-key"), transport, sleeper,
                ClientOptions(baseUrl = "https://cluster1.voiso.com", retry = oneAttempt, seed = 1uL),
            )
            c::call
        }
        else -> error("unknown api $api")
    }

/** The fields of an exception the vectors can check, by their vector names. */
fun errorFields(e: RosterException): Map<String, Any?> {
    val out = mutableMapOf<String, Any?>("code" to e.code())
    when (e) {
        is RosterException.Validation -> {
            out["parameter"] = e.parameter
            out["rule"] = e.rule
        }
        is RosterException.Api -> {
            out["api_code"] = e.apiCode
            out["kind"] = e.kind
            out["msg"] = e.msg
            out["field_name"] = e.fieldName
            out["http_status"] = e.httpStatus.toInt()
            out["error_count"] = e.errors.size
        }
        is RosterException.HttpStatus -> out["status"] = e.status.toInt()
        is RosterException.Transport -> out["transport_kind"] = e.transportKind
        else -> {}
    }
    return out
}

/** Fails unless every field [expected] names has the same value in [actual]. */
fun assertErrorMatches(expected: JsonNode, e: RosterException) {
    val actual = errorFields(e)
    for ((key, value) in expected.properties()) {
        val want: Any? = when {
            value.isNull -> null
            value.isIntegralNumber -> value.asLong()
            else -> value.asText()
        }
        val got = when (val a = actual[key]) {
            is Int -> a.toLong()
            else -> a
        }
        check(want == got) { "error $key: expected $want, got $got (${e.message})" }
    }
}

fun decodeForm(text: String): Map<String, String> =
    if (text.isEmpty()) emptyMap() else text.split("&").associate {
        val (k, v) = (it.split("=", limit = 2) + "").take(2)
        URLDecoder.decode(k, "UTF-8") to URLDecoder.decode(v, "UTF-8")
    }

fun queryOf(url: String): Map<String, String> = decodeForm(URI(url).rawQuery ?: "")

fun pathOf(url: String): String = URI(url).rawPath

fun header(request: HttpRequest, name: String): String? =
    request.headers().firstOrNull { it.name.equals(name, ignoreCase = true) }?.value
