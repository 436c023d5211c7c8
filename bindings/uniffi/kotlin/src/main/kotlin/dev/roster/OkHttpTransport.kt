package dev.roster

import java.io.IOException
import java.io.InterruptedIOException
import java.net.SocketTimeoutException
import java.util.concurrent.TimeUnit
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.suspendCancellableCoroutine
import okhttp3.Call
import okhttp3.Callback
import okhttp3.EventListener
import okhttp3.MediaType.Companion.toMediaTypeOrNull
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.RequestBody.Companion.toRequestBody
import okhttp3.Response

/**
 * A transport over OkHttp, for apps that already configure one client (interceptors,
 * certificate pinning, a shared connection pool). OkHttp is an optional dependency: add
 * `com.squareup.okhttp3:okhttp` to use this class.
 *
 * Classification as in [HttpUrlConnectionTransport]: a failure before the request headers were
 * written is [TransportFailure.NotSent]; a timeout after is [TransportFailure.TimedOut]; any
 * other failure after is [TransportFailure.Interrupted].
 */
class OkHttpTransport(private val client: OkHttpClient = OkHttpClient()) : HttpTransport {
    override suspend fun send(request: HttpRequest): HttpResponse {
        val started = SendingListener()
        val perCall = client.newBuilder()
            .connectTimeout(request.connectTimeoutMs().toLong(), TimeUnit.MILLISECONDS)
            .callTimeout(request.timeoutMs().toLong(), TimeUnit.MILLISECONDS)
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .eventListener(started)
            .build()
        val call = perCall.newCall(toOkHttp(request))
        return suspendCancellableCoroutine { cont ->
            cont.invokeOnCancellation { call.cancel() }
            call.enqueue(object : Callback {
                override fun onResponse(call: Call, response: Response) {
                    val answer = try {
                        response.use { fromOkHttp(it) }
                    } catch (e: IOException) {
                        cont.resumeWithException(classify(e, started.sending, request))
                        return
                    }
                    cont.resume(answer)
                }

                override fun onFailure(call: Call, e: IOException) {
                    cont.resumeWithException(classify(e, started.sending, request))
                }
            })
        }
    }

    private fun toOkHttp(request: HttpRequest): Request {
        val method = request.method()
        val headers = request.headers()
        val type = headers.firstOrNull { it.name.equals("content-type", true) }?.value
        val body = if (method == "GET") null else request.body().toRequestBody(type?.toMediaTypeOrNull())
        val builder = Request.Builder().url(request.url()).method(method, body)
        for (h in headers) builder.addHeader(h.name, h.value)
        return builder.build()
    }

    private fun fromOkHttp(response: Response): HttpResponse = HttpResponse(
        response.code.toUShort(),
        response.headers.map { (name, value) -> HttpHeader(name, value) },
        response.body?.bytes() ?: ByteArray(0),
    )

    private fun classify(e: IOException, sending: Boolean, request: HttpRequest): TransportFailure {
        val reason = "${request.redacted()}: ${describe(e)}"
        return when {
            !sending -> TransportFailure.NotSent(reason)
            e is SocketTimeoutException || e is InterruptedIOException -> TransportFailure.TimedOut(reason)
            else -> TransportFailure.Interrupted(reason)
        }
    }

    /** Notes when the request starts leaving the machine. */
    private class SendingListener : EventListener() {
        @Volatile var sending = false

        override fun requestHeadersStart(call: Call) {
            sending = true
        }
    }
}
