package dev.roster

/**
 * Clients with the defaults of the JVM and Android: [HttpUrlConnectionTransport] and
 * [CoroutineSleeper]. Pass another [HttpTransport] (say [OkHttpTransport]) to use your stack.
 */
object Roster {
    /** A Voximplant client signing its tokens with the key in a `credentials.json` text. */
    fun voximplant(
        credentialsJson: String,
        baseUrl: String? = null,
        transport: HttpTransport = HttpUrlConnectionTransport(),
        retry: RetrySettings? = null,
    ): Voximplant = Voximplant.withServiceAccount(
        Secret(credentialsJson), transport, CoroutineSleeper, options(baseUrl, retry),
    )

    /** A Voximplant client sending a token minted elsewhere. */
    fun voximplantWithToken(
        token: String,
        baseUrl: String? = null,
        transport: HttpTransport = HttpUrlConnectionTransport(),
        retry: RetrySettings? = null,
    ): Voximplant = Voximplant.withToken(Secret(token), transport, CoroutineSleeper, options(baseUrl, retry))

    /** A Voiso client authenticating with the contact center's API key. */
    fun voiso(
        apiKey: String,
        baseUrl: String,
        transport: HttpTransport = HttpUrlConnectionTransport(),
        retry: RetrySettings? = null,
    ): Voiso = Voiso(Secret(apiKey), transport, CoroutineSleeper, options(baseUrl, retry))

    private fun options(baseUrl: String?, retry: RetrySettings?) =
        ClientOptions(baseUrl = baseUrl, retry = retry, binding = "kotlin")
}
