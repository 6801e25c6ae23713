package io.spinoff.runtime;

/** A {@link SupActor} that handles death notices: it records each in the journal. */
public final class SupWatcherActor extends SupActor {

    SupWatcherActor(SupJournal journal, SupSpec spec) {
        super(journal, spec);
    }

    @Override
    protected void onTerminated(Terminated terminated) {
        journal.notice(path(), terminated);
    }
}
