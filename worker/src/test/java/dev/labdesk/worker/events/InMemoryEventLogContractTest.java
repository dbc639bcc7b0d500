package dev.labdesk.worker.events;


/** The event-log contract on the single-worker implementation. */
class InMemoryEventLogContractTest extends EventLogContract {
    @Override
    EventLog log(int retain) {
        return new InMemoryEventLog(retain);
    }
}
