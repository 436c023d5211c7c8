package dev.roster

/**
 * A [TokenProvider] of a suspending function, for [VoximplantAuth.Provider]:
 * `VoximplantAuth.Provider(tokenProvider { forceRefresh -> backend.token(forceRefresh) })`.
 */
fun tokenProvider(provider: suspend (forceRefresh: Boolean) -> String): TokenProvider = object : TokenProvider {
    override suspend fun token(forceRefresh: Boolean): String = provider(forceRefresh)
}
