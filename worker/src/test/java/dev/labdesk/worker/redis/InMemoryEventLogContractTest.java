package dev.labdesk.worker.redis;

import dev.labdesk.worker.events.EventLog;
import dev.labdesk.worker.events.InMemoryEventLog;

/** The event-log contract on the single-worker implementation. */
class InMemoryEventLogContractTest extends EventLogContract {
    @Override
    EventLog log(int retain) {
        return new InMemoryEventLog(retain);
    }
}
