package dev.roster

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * The items of a pager as a cold [Flow]: each page is fetched when the collector gets to it.
 *
 * ```
 * autoPage(vox.users().getUsersPager(GetUsers(applicationId = 1))::next).collect { println(it.userName) }
 * ```
 */
fun <T> autoPage(next: suspend () -> List<T>?): Flow<T> = flow {
    while (true) {
        val items = next() ?: break
        for (item in items) emit(item)
    }
}
