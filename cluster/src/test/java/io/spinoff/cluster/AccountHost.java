package io.spinoff.cluster;

import io.spinoff.runtime.Process;

/**
 * What a member JVM of the multi-JVM tests runs ({@code Node --cluster ... --actor
 * io.spinoff.cluster.AccountHost}): it hosts the account entities, each checked by the checker
 * registered in the cluster, and then waits until the node stops.
 */
public final class AccountHost extends Process {

    @Override
    protected void run() throws Exception {
        Cluster cluster = Cluster.of(context().system());
        Checker checker = cluster.lookup(Checker.class, "checker");
        cluster.entities(Account.class).host(id -> new CheckedAccount(id, checker));
        System.out.println("hosting accounts on " + cluster.self());
        while (true) {
            receive(Object.class);
        }
    }
}
