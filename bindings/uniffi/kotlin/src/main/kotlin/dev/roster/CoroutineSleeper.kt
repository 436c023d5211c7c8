package dev.roster

import kotlinx.coroutines.delay

/** Waits between retries with [delay]: suspends the coroutine, blocks no thread. */
object CoroutineSleeper : Sleeper {
    override suspend fun sleep(millis: ULong) {
        delay(millis.toLong())
    }
}
