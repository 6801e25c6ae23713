package io.spinoff.runtime.internal.remote;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.util.Locale;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Why a node's socket could not be bound, in the operating system's words, with the fix. Not API.
 *
 * <p>JeroMQ reports every failed TCP bind as error code EADDRINUSE ({@code "Errno 48"}), whatever
 * the system said: its listener catches the {@link IOException} of the bind and keeps only that
 * code. So once JeroMQ's bind has failed, this binds a plain server socket to the same address,
 * with the same {@code SO_REUSEADDR} setting JeroMQ uses (on everywhere but Windows), closes it at
 * once, and reports the exception's message: "Address already in use", "Cannot assign requested
 * address", "Permission denied". A bind sends nothing on the network. When this second bind
 * succeeds (the port came free in between), the reason is ZeroMQ's text for the error code.
 *
 * <p>Called on the I/O thread, once, when the node starts and cannot bind.
 */
final class BindFailure {

    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private BindFailure() {}

    /**
     * @param systemName the node's system name
     * @param host the host it was to bind
     * @param port the port (0 for any)
     * @param failure what JeroMQ threw (a {@link ZMQException} with an error code, and with the
     *     {@link UnknownHostException} as its cause when the host does not resolve; any other
     *     exception is reported by its message), or null when its bind returned false
     * @return the exception for the node's builder to throw, with the reason and the fix
     */
    static IllegalStateException of(String systemName, String host, int port, RuntimeException failure) {
        InetAddress address;
        try {
            address = resolve(host);
        } catch (UnknownHostException e) {
            // JeroMQ's own lookup failed first and kept the resolver's words ("Name or service not
            // known"); a second lookup's may be only the name, when the JDK cached the failure.
            String reason = failure != null && failure.getCause() instanceof UnknownHostException first
                    && first.getMessage() != null ? first.getMessage() : "unknown host " + host;
            return new IllegalStateException(prefix(systemName, host, port) + reason
                    + "; bind to a name or address of this machine, such as tcp://127.0.0.1:" + port + ".", e);
        }
        IOException osFailure = bindOnce(new InetSocketAddress(address, port));
        String reason;
        if (osFailure != null && osFailure.getMessage() != null) {
            reason = osFailure.getMessage();
        } else if (failure instanceof ZMQException zmq) {
            reason = zeroMqReason(zmq.getErrorCode());
        } else if (failure != null && failure.getMessage() != null) {
            reason = failure.getMessage();
        } else {
            reason = "the bind failed";
        }
        String fix = isLocal(address)
                ? "pick a free port, or stop the process that holds it."
                : host + " is not an address of this machine; bind to one of its addresses, such as tcp://127.0.0.1:"
                        + port + ".";
        IllegalStateException exception = new IllegalStateException(prefix(systemName, host, port) + reason + "; " + fix,
                osFailure != null ? osFailure : failure);
        if (osFailure != null && failure != null) {
            exception.addSuppressed(failure);
        }
        return exception;
    }

    private static String prefix(String systemName, String host, int port) {
        return "Cannot bind node " + systemName + " to tcp://" + host + ":" + port + ": ";
    }

    /** Resolves as JeroMQ does for a TCP bind without IPv6: an IPv4 address when the name has one. */
    private static InetAddress resolve(String host) throws UnknownHostException {
        InetAddress[] all = InetAddress.getAllByName(host);
        for (InetAddress candidate : all) {
            if (candidate instanceof Inet4Address) {
                return candidate;
            }
        }
        return all[0];
    }

    /** @return why the address cannot be bound, or null when it can (the socket is closed again) */
    private static IOException bindOnce(InetSocketAddress address) {
        try (ServerSocketChannel channel = ServerSocketChannel.open()) {
            if (!WINDOWS) {
                channel.socket().setReuseAddress(true);
            }
            channel.bind(address);
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private static boolean isLocal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true; // cannot tell: give the advice for the common case, a port in use
        }
    }

    private static String zeroMqReason(int code) {
        try {
            return ZMQ.Error.findByCode(code).getMessage();
        } catch (IllegalArgumentException e) {
            return "ZeroMQ error " + code;
        }
    }
}
