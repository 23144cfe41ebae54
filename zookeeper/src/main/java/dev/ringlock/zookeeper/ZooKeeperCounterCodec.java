package dev.ringlock.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.ringlock.counter.CounterEncodingException;
import dev.ringlock.counter.CounterValues;
import org.jspecify.annotations.Nullable;

/**
 * The data of a counter znode, in UTF-8 text:
 * <pre>
 * 42
 * 6f1c0a3e9b2d4c11 1873
 * 0b9e44d2a1f37c05 977
 * </pre>
 * The first line is the value, as {@link Long#toString(long)} writes it; this is all another program needs
 * to read (or write) a counter. Each further line is a <em>write receipt</em> {@code <writer id> <write
 * number>}: the last write of each of the most recent {@value #MAX_RECEIPTS} writers, newest first. A
 * writer whose answer was lost to a connection failure reads the node again and finds its receipt there if,
 * and only if, its write was applied (see {@link ZooKeeperCounterStore}). Lines that are not receipts are
 * ignored; a node with the value alone is a valid counter with no receipts.
 */
final class ZooKeeperCounterCodec {

    /** Receipts kept per counter: more than the writers one counter is expected to have at once. */
    static final int MAX_RECEIPTS = 32;

    private ZooKeeperCounterCodec() {
    }

    /** One writer's last write. */
    record Receipt(String writer, long write) {
    }

    /** What a counter node holds. */
    record Content(long value, List<Receipt> receipts) {

        /** Whether a receipt of {@code writer} for a write other than its newest could have been pushed out. */
        boolean full() {
            return receipts.size() >= MAX_RECEIPTS;
        }

        @Nullable Receipt receiptOf(String writer) {
            for (Receipt receipt : receipts) {
                if (receipt.writer().equals(writer)) {
                    return receipt;
                }
            }
            return null;
        }

        /** The receipts after {@code receipt} was written: it first, the writer's older receipt dropped, the oldest cut. */
        List<Receipt> with(Receipt receipt) {
            List<Receipt> next = new ArrayList<>(Math.min(receipts.size() + 1, MAX_RECEIPTS));
            next.add(receipt);
            for (Receipt old : receipts) {
                if (next.size() == MAX_RECEIPTS) {
                    break;
                }
                if (!old.writer().equals(receipt.writer())) {
                    next.add(old);
                }
            }
            return next;
        }
    }

    static byte[] encode(long value, List<Receipt> receipts) {
        StringBuilder sb = new StringBuilder(20 + receipts.size() * 28).append(value);
        for (Receipt receipt : receipts) {
            sb.append('\n').append(receipt.writer()).append(' ').append(receipt.write());
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @throws CounterEncodingException naming the counter and its path when the first line is not a long
     */
    static Content decode(String name, String path, byte @Nullable [] data) {
        if (data == null || data.length == 0) {
            throw new CounterEncodingException(name, path, "the node is empty");
        }
        String text = new String(data, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String first = newline < 0 ? text : text.substring(0, newline);
        Long value = CounterValues.parse(first);
        if (value == null) {
            throw new CounterEncodingException(name, path, "the first line is not a decimal long: "
                    + CounterValues.preview(text) + " (" + data.length + " bytes)");
        }
        List<Receipt> receipts = new ArrayList<>();
        int start = newline;
        while (start >= 0 && receipts.size() < MAX_RECEIPTS) {
            int end = text.indexOf('\n', start + 1);
            String line = end < 0 ? text.substring(start + 1) : text.substring(start + 1, end);
            int space = line.indexOf(' ');
            if (space > 0) {
                Long write = CounterValues.parse(line.substring(space + 1));
                if (write != null) {
                    receipts.add(new Receipt(line.substring(0, space), write));
                }
            }
            start = end;
        }
        return new Content(value, List.copyOf(receipts));
    }
}
