package dev.ringlock.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample app itself (prefix {@code sample}); Ringlock's own are under {@code ringlock}.
 */
@ConfigurationProperties("sample")
public class SampleProperties {

    /**
     * Whether to start an in-process ZooKeeper server and a redis-server process on free ports and use them;
     * false to use the servers named by 'ringlock.zookeeper.connect-string' and 'spring.data.redis.*'.
     */
    private boolean embedded = true;

    /** This instance's member id in the ring; by default derived from 'server.port', so instances differ. */
    private String instanceId = "sample";

    private final Demo demo = new Demo();

    public boolean isEmbedded() {
        return embedded;
    }

    public void setEmbedded(boolean embedded) {
        this.embedded = embedded;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public Demo getDemo() {
        return demo;
    }

    /**
     * The concurrent payment demo.
     */
    public static class Demo {

        /** How many orders one run pays. */
        private int orders = 5;

        /** How many concurrent payment attempts each order gets. */
        private int attemptsPerOrder = 40;

        /** How many threads fire the attempts. */
        private int threads = 16;

        /** Whether the demo runs once when the application has started, and logs its result. */
        private boolean runAtStartup = true;

        public int getOrders() {
            return orders;
        }

        public void setOrders(int orders) {
            this.orders = requireBetween("sample.demo.orders", orders, 1, PaymentDemo.MAX_ORDERS);
        }

        public int getAttemptsPerOrder() {
            return attemptsPerOrder;
        }

        public void setAttemptsPerOrder(int attemptsPerOrder) {
            this.attemptsPerOrder = requireBetween("sample.demo.attempts-per-order", attemptsPerOrder, 1, 10_000);
        }

        public int getThreads() {
            return threads;
        }

        public void setThreads(int threads) {
            this.threads = requireBetween("sample.demo.threads", threads, 1, 256);
        }

        public boolean isRunAtStartup() {
            return runAtStartup;
        }

        public void setRunAtStartup(boolean runAtStartup) {
            this.runAtStartup = runAtStartup;
        }

        private static int requireBetween(String property, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException("'" + property + "' must be between " + min + " and " + max
                        + ", was " + value);
            }
            return value;
        }
    }
}
