package io.spinoff.runtime.internal.cell;

/**
 * A bare mailbox for tests of its queues, flag and counts: no actor behind it, never run as a
 * task. Threading as {@link Mailbox}.
 */
final class TestMailbox extends Mailbox {
    private static final long serialVersionUID = 1L;

    TestMailbox() {
        super(0);
    }

    @Override
    public Void getRawResult() {
        return null;
    }

    @Override
    protected void setRawResult(Void value) {}

    @Override
    protected boolean exec() {
        return false;
    }
}
