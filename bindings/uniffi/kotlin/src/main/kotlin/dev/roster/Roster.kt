package dev.roster

/**
 * Clients with the defaults of the JVM and Android: [HttpUrlConnectionTransport],
 * [CoroutineSleeper] and [SystemSettingsHost]. Pass another [HttpTransport] (say
 * [OkHttpTransport]) to use your stack, another [SettingsHost] to read settings from elsewhere.
 *
 * Settings resolve in the core, the same in every binding: what is passed here, then the
 * environment (`VOXIMPLANT_CREDENTIALS`, `VOXIMPLANT_BASE_URL`, `VOISO_API_KEY`,
 * `VOISO_BASE_URL`), then the defaults. A missing or malformed setting throws
 * [RosterException.Config] naming where it came from, never its value.
 */
object Roster {
    /**
     * A Voximplant client signing its tokens with a service account's key. [credentials] is
     * the path of its `credentials.json` or the JSON text itself; null reads
     * `VOXIMPLANT_CREDENTIALS` (a path or the JSON too).
     */
    fun voximplant(
        credentials: String? = null,
        baseUrl: String? = null,
        transport: HttpTransport = HttpUrlConnectionTransport(),
        retry: RetrySettings? = null,
        host: SettingsHost = SystemSettingsHost,
    ): Voximplant = Voximplant(
        credentials?.let { VoximplantAuth.Credentials(Secret(it)) } ?: VoximplantAuth.Environment,
        transport, CoroutineSleeper, options(baseUrl, retry, host),
    )

    /** A Voximplant client sending a token minted elsewhere. */
    fun voximplantWithToken(
        token: String,
        baseUrl: String? = null,
        transport: HttpTransport = HttpUrlConnectionTransport(),
        retry: RetrySettings? = null,
        host: SettingsHost = SystemSettingsHost,
    ): Voximplant = Voximplant(
        VoximplantAuth.Token(Secret(token)), transport, CoroutineSleeper, options(baseUrl, retry, host),
    )

    /**
     * A Voximplant client asking [provider] for tokens (a backend's token service): before the
     * first request, and again with `forceRefresh = true` after the server refused a token or
     * it expired, when a cached one must not be handed back. The core checks each token; an
     * exception thrown by [provider] ends the call with [RosterException.Auth].
     */
    fun voximplantWithTokenProvider(
        baseUrl: String? = null,
        transport: HttpTransport = HttpUrlConnectionTransport(),
        retry: RetrySettings? = null,
        host: SettingsHost = SystemSettingsHost,
        provider: suspend (forceRefresh: Boolean) -> String,
    ): Voximplant = Voximplant(
        VoximplantAuth.Provider(tokenProvider(provider)), transport, CoroutineSleeper,
        options(baseUrl, retry, host),
    )

    /**
     * A Voiso client authenticating with the contact center's API key; null reads
     * `VOISO_API_KEY`. The base URL: [baseUrl], then `VOISO_BASE_URL`, then
     * `https://cluster1.voiso.com`.
     */
    fun voiso(
        apiKey: String? = null,
        baseUrl: String? = null,
        transport: HttpTransport = HttpUrlConnectionTransport(),
        retry: RetrySettings? = null,
        host: SettingsHost = SystemSettingsHost,
    ): Voiso = Voiso(apiKey?.let(::Secret), transport, CoroutineSleeper, options(baseUrl, retry, host))

    private fun options(baseUrl: String?, retry: RetrySettings?, host: SettingsHost) =
        ClientOptions(baseUrl = baseUrl, retry = retry, binding = "kotlin", host = host)
}
