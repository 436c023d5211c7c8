package dev.roster

import java.io.IOException
import java.net.HttpURLConnection
import java.net.SocketTimeoutException
import java.net.URL
import java.util.concurrent.atomic.AtomicBoolean
import java.util.logging.Filter
import java.util.logging.Logger
import javax.net.ssl.HttpsURLConnection
import javax.net.ssl.SSLSocketFactory
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/**
 * The default transport: `java.net.HttpURLConnection` on [Dispatchers.IO], so it works on the
 * JVM and on Android with no dependency.
 *
 * Failures are classified by how far the exchange got, because that decides what the core may
 * retry: anything thrown while connecting (DNS, refused, TLS handshake, connect timeout) is
 * [TransportFailure.NotSent]; a timeout after the connection was made is
 * [TransportFailure.TimedOut]; any other failure after it is [TransportFailure.Interrupted].
 * The attempt's total timeout is enforced by a watchdog that closes the connection.
 *
 * The JDK's `HttpURLConnection` logs every request's headers, `Authorization` included, to the
 * `java.util.logging` logger `sun.net.www.protocol.http.HttpURLConnection` at level FINE, so
 * an app that turns on debug logging would log the token or API key. Creating this transport
 * gives that logger a filter that replaces the value of every `Authorization` and
 * `Proxy-Authorization` header in its records with `[redacted]` (any filter already set still
 * decides what is logged). An app whose JDK logging goes elsewhere (a `System.LoggerFinder`
 * of its own) must keep that logger below FINE itself. On Android the platform's
 * `HttpURLConnection` logs no headers.
 *
 * @param sslSocketFactory trusts other certificates than the platform's (a private CA).
 */
class HttpUrlConnectionTransport(
    private val sslSocketFactory: SSLSocketFactory? = null,
) : HttpTransport {
    init {
        JdkHeaderLog.redact()
    }

    override suspend fun send(request: HttpRequest): HttpResponse = coroutineScope {
        val body = request.body()
        val conn = open(request, body)
        val expired = AtomicBoolean(false)
        val watchdog = launch {
            delay(request.timeoutMs().toLong())
            expired.set(true)
            conn.disconnect()
        }
        try {
            withContext(Dispatchers.IO) { exchange(conn, request, body, expired) }
        } finally {
            watchdog.cancel()
        }
    }

    private fun open(request: HttpRequest, body: ByteArray): HttpURLConnection {
        val method = request.method()
        val conn = URL(request.url()).openConnection() as HttpURLConnection
        if (sslSocketFactory != null && conn is HttpsURLConnection) conn.sslSocketFactory = sslSocketFactory
        conn.requestMethod = method
        conn.instanceFollowRedirects = false
        conn.useCaches = false
        conn.connectTimeout = clampMillis(request.connectTimeoutMs())
        conn.readTimeout = clampMillis(request.timeoutMs())
        for (h in request.headers()) conn.setRequestProperty(h.name, h.value)
        if (body.isNotEmpty() || method == "POST") {
            conn.doOutput = true
            // Streaming mode also stops HttpURLConnection from silently resending a POST.
            conn.setFixedLengthStreamingMode(body.size)
        }
        return conn
    }

    private fun exchange(
        conn: HttpURLConnection,
        request: HttpRequest,
        body: ByteArray,
        expired: AtomicBoolean,
    ): HttpResponse {
        try {
            conn.connect()
        } catch (e: IOException) {
            throw TransportFailure.NotSent("${request.redacted()}: ${describe(e)}")
        }
        try {
            if (conn.doOutput) conn.outputStream.use { it.write(body) }
            val status = conn.responseCode
            val stream = if (status >= 400) conn.errorStream else conn.inputStream
            val body = stream?.use { it.readBytes() } ?: ByteArray(0)
            val headers = conn.headerFields.flatMap { (name, values) ->
                if (name == null) emptyList() else values.map { HttpHeader(name, it) }
            }
            return HttpResponse(status.toUShort(), headers, body)
        } catch (e: IOException) {
            val reason = "${request.redacted()}: ${describe(e)}"
            throw if (expired.get() || e is SocketTimeoutException) {
                TransportFailure.TimedOut(reason)
            } else {
                TransportFailure.Interrupted(reason)
            }
        } finally {
            conn.disconnect()
        }
    }
}

/** The filter that keeps credentials out of the JDK's request-header log records. */
internal object JdkHeaderLog {
    const val LOGGER = "sun.net.www.protocol.http.HttpURLConnection"

    /** `{authorization: Bearer …}` as `MessageHeader.toString()` writes each header. */
    private val credential = Regex("""(?i)(\{\s*(?:proxy-)?authorization\s*:\s*)[^}]*""")

    /** Held for good: `java.util.logging` keeps loggers weakly, and a new one has no filter. */
    private val logger: Logger? = runCatching { Logger.getLogger(LOGGER) }.getOrNull()

    init {
        logger?.let { l ->
            val previous = l.filter
            l.filter = Filter { record ->
                val message = record.message
                if (message != null && credential.containsMatchIn(message)) {
                    record.message = credential.replace(message, "$1[redacted]")
                }
                previous?.isLoggable(record) ?: true
            }
        }
    }

    /** Installs the filter (once, when this object is first used). */
    fun redact() = Unit
}

internal fun clampMillis(ms: ULong): Int = ms.coerceIn(1UL, Int.MAX_VALUE.toULong()).toInt()

internal fun describe(e: Throwable): String = "${e.javaClass.simpleName}: ${e.message ?: "no message"}"
