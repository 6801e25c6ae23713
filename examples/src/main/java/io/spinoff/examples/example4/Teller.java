package io.spinoff.examples.example4;

import io.spinoff.cluster.Cluster;
import io.spinoff.runtime.Process;
import io.spinoff.runtime.ReceiveTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Moves money between five accounts, one transfer at a time, and after every tenth prints the
 * balances and their total, which stays 500 while bank nodes come and go: a transfer takes from
 * one account and gives to the other, each step retried until an account answers, and an account
 * applies a step once however often it is retried.
 */
public final class Teller extends Process {

    private static final System.Logger LOG = System.getLogger(Teller.class.getName());
    private static final List<String> ACCOUNTS = List.of("alice", "bob", "carol", "dave", "erin");

    @Override
    protected void run() throws Exception {
        Cluster cluster = Cluster.of(context().system());
        Random random = new Random();
        for (long transfer = 1; ; transfer++) {
            String from = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
            String to = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
            long amount = 1 + random.nextInt(20);
            String id = UUID.randomUUID().toString();
            step(cluster.entity(Account.class, from), id + "-from", -amount);
            step(cluster.entity(Account.class, to), id + "-to", amount);
            sleep(Duration.ofMillis(50));
            if (transfer % 10 == 0) {
                Map<String, Long> balances = new TreeMap<>();
                for (String account : ACCOUNTS) {
                    balances.put(account, await(cluster.entity(Account.class, account).balance(), Duration.ofSeconds(30)));
                }
                long total = balances.values().stream().mapToLong(Long::longValue).sum();
                LOG.log(System.Logger.Level.INFO, transfer + " transfers; balances " + balances + ", total " + total);
            }
        }
    }

    /** Applies one step, retrying the same operation until the account answers. */
    private void step(Account account, String operation, long amount) throws InterruptedException {
        while (true) {
            try {
                await(account.apply(operation, amount), Duration.ofSeconds(5));
                return;
            } catch (ReceiveTimeoutException e) {
                LOG.log(System.Logger.Level.INFO, "retrying " + operation + ": no answer within 5 s");
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.INFO, "retrying " + operation + ": " + e.getMessage());
            }
            sleep(Duration.ofMillis(500));
        }
    }
}
