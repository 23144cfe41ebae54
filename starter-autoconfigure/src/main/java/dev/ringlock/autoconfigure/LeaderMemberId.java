package dev.ringlock.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This instance's member id in every election: {@code ringlock.leader.member-id}, else
 * {@code ringlock.ring.self-id}, else {@code <host name>-<pid>}, which two processes on one host never share.
 */
final class LeaderMemberId {

    private LeaderMemberId() {
    }

    static String of(RinglockProperties properties) {
        String named = properties.getLeader().getMemberId();
        if (named != null) {
            return named;
        }
        String selfId = properties.getRing().getSelfId();
        return selfId != null ? selfId : hostAndPid();
    }

    static String hostAndPid() {
        return hostName() + "-" + ProcessHandle.current().pid();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            // a host whose own name does not resolve: the name the environment gives, else the pid alone tells
            String environment = System.getenv("HOSTNAME");
            return environment != null && !environment.isBlank() ? environment.trim() : "localhost";
        }
    }
}
