package io.roundhouse.cluster;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Expands member names to every address they resolve to. A docker compose service scaled to five
 * replicas is one DNS name with five A records; Hazelcast itself would use just one of them. Names
 * that do not resolve yet are kept as they are, for Hazelcast to retry. Resolves synchronously:
 * call it before the event loops run, as the cluster configuration is built.
 */
final class MemberAddresses {

  private MemberAddresses() {}

  static List<String> expand(List<String> members) {
    Set<String> out = new LinkedHashSet<>();
    for (String member : members) {
      out.addAll(expand(member));
    }
    return List.copyOf(out);
  }

  private static List<String> expand(String member) {
    String host = member;
    String port = "";
    int colon = member.lastIndexOf(':');
    if (member.startsWith("[")) {
      int close = member.indexOf(']');
      host = member.substring(1, close);
      port = member.substring(close + 1);
    } else if (colon > 0 && member.indexOf(':') == colon) {
      host = member.substring(0, colon);
      port = member.substring(colon);
    }
    if (isLiteral(host)) {
      return List.of(member);
    }
    try {
      List<String> addresses = new ArrayList<>();
      for (InetAddress address : InetAddress.getAllByName(host)) {
        String literal = address.getHostAddress();
        addresses.add((address instanceof Inet6Address ? "[" + literal + "]" : literal) + port);
      }
      return addresses;
    } catch (UnknownHostException e) {
      return List.of(member);
    }
  }

  private static boolean isLiteral(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }
}
