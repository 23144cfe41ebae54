package dev.ringlock.bench.leader;

import java.io.InputStream;

/**
 * The leader of a kill trial, in a process of its own so that it can be killed with SIGKILL:
 * {@code LeaderCandidateMain <contender> <group>} joins the group and prints {@code LEADING} at its first
 * grant; it leaves when its standard input ends (the harness closed it, or died), so that no candidate
 * outlives the run.
 */
public final class LeaderCandidateMain {

    private LeaderCandidateMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LeaderCandidateMain <contender> <group>");
            System.exit(2);
        }
        try (LeaderContender contender = LeaderContenders.create(args[0]);
                LeaderContender.Candidate candidate = contender.join(args[1], LeaderCandidateMain::leading)) {
            InputStream in = System.in;
            while (in.read() >= 0) {
                // nothing to do but wait for the end of the input
            }
        }
        System.exit(0);
    }

    private static void leading() {
        System.out.println("LEADING");
        System.out.flush();
    }
}
