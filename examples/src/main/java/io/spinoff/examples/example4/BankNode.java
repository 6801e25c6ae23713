package io.spinoff.examples.example4;

import io.spinoff.cluster.Cluster;
import io.spinoff.runtime.Process;

/**
 * A member of the bank's cluster: hosts the accounts the cluster assigns to it, until stopped. Run
 * it with {@code bin/startnode --name bank1 --bind tcp://127.0.0.1:7301 --cluster embedded:2181
 * --actor io.spinoff.examples.example4.BankNode}; see the README's "A cluster" section.
 */
public final class BankNode extends Process {

    private static final System.Logger LOG = System.getLogger(BankNode.class.getName());

    @Override
    protected void run() throws Exception {
        Cluster cluster = Cluster.of(context().system());
        cluster.entities(Account.class).host(AccountEntity::new);
        LOG.log(System.Logger.Level.INFO, "hosting accounts on " + cluster.self());
        while (true) {
            receive(Object.class);
        }
    }
}
