package dev.ringlock.sample;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one demo run found, counted from the outside: the attempts' own results and the shared ledger.
 *
 * @param orders the orders paid
 * @param attempts payment attempts fired
 * @param sectionsRun attempts that got the lock and ran the locked section
 * @param payments attempts that paid an order
 * @param alreadyPaid attempts that found their order paid
 * @param doublePayments orders the ledger shows paid more than once (must be 0)
 * @param tokensIssued distinct fencing tokens the sections ran under
 * @param staleTokensRejected sections the ledger refused for a stale token (0 while locks hold)
 * @param lockTimeouts attempts that did not get the lock within its wait time
 * @param errors attempts that failed otherwise
 * @param tookMillis wall-clock time of the run
 * @param backend the lock backend
 */
record DemoResult(List<String> orders, int attempts, int sectionsRun, int payments, int alreadyPaid,
        long doublePayments, int tokensIssued, int staleTokensRejected, int lockTimeouts, int errors, long tookMillis,
        String backend) {

    DemoResult {
        orders = List.copyOf(orders);
    }

    /** One line for people: the page shows it, the log prints it. */
    @JsonProperty("summary")
    public String summary() {
        StringBuilder line = new StringBuilder().append(attempts).append(" concurrent payment attempts on ")
                .append(orders.size()).append(" orders: ").append(sectionsRun).append(" sections run, ")
                .append(payments).append(" payments, ").append(doublePayments).append(" double payments, ")
                .append(tokensIssued).append(" fencing tokens issued, ").append(staleTokensRejected)
                .append(" stale tokens rejected");
        if (lockTimeouts > 0) {
            line.append(", ").append(lockTimeouts).append(" attempts timed out waiting for the lock");
        }
        if (errors > 0) {
            line.append(", ").append(errors).append(" attempts failed (see the log)");
        }
        return line.append("; ").append(tookMillis).append(" ms on ").append(backend).toString();
    }
}
