package dev.herald.egress;

import dev.herald.error.HeraldException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SSRF decision as a function: addresses are parsed from literals, never looked up or
 * connected to (no test here opens a socket).
 */
class AddressPolicyTest {

    private final AddressPolicy defaults = AddressPolicy.of("");

    private String refusal(AddressPolicy policy, String literal) {
        byte[] ip = AddressPolicy.literal(literal);
        assertThat(ip).as("parsed " + literal).isNotNull();
        return policy.refusal(ip);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // loopback, unspecified, private, CGNAT, link-local, multicast, broadcast, reserved
            "127.0.0.1", "127.255.255.254", "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255",
            "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.255", "100.64.0.1", "100.127.255.255",
            "169.254.169.254", "169.254.0.1", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
            // inet_aton forms of loopback and of the metadata address
            "127.1", "0x7f000001", "0x7f.0.0.1", "0177.0.0.1", "2130706433", "0xa9fea9fe", "169.254.43518",
            // IPv6: unspecified, loopback, link-local, unique-local, site-local, multicast
            "::", "::1", "[::1]", "fe80::1", "febf::1", "fc00::1", "fd12:3456::1", "fec0::1", "ff02::1",
            // IPv4-mapped, IPv4-compatible, NAT64 and 6to4 forms of refused IPv4 addresses
            "::ffff:127.0.0.1", "[::ffff:7f00:1]", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:192.168.1.1",
            "::127.0.0.1", "::10.0.0.1", "::169.254.169.254",
            "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::10.1.2.3", "64:ff9b:1::1",
            "2002:7f00:1::1", "2002:a9fe:a9fe::", "2002:c0a8:101::1"})
    void refusedByDefault(String literal) {
        assertThat(refusal(defaults, literal)).as(literal).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.255.255",
            "100.128.0.1", "169.253.255.255", "192.169.0.1", "11.0.0.1", "223.255.255.255",
            "2606:4700::1111", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2002:808:808::1"})
    void publicAddressesPass(String literal) {
        assertThat(refusal(defaults, literal)).as(literal).isNull();
    }

    @Test
    void reasonsNameTheRange() {
        assertThat(refusal(defaults, "127.0.0.1")).isEqualTo("loopback");
        assertThat(refusal(defaults, "10.1.2.3")).isEqualTo("private (RFC 1918)");
        assertThat(refusal(defaults, "169.254.169.254")).isEqualTo("link-local");
        assertThat(refusal(defaults, "100.64.0.1")).contains("carrier-grade NAT");
        assertThat(refusal(defaults, "::ffff:127.0.0.1")).isEqualTo("loopback (as 127.0.0.1)");
        assertThat(refusal(defaults, "64:ff9b::a9fe:a9fe")).isEqualTo("link-local (as 169.254.169.254)");
        assertThat(refusal(defaults, "fd00::1")).isEqualTo("unique-local");
    }

    @Test
    void allowedNetworksLetThroughOnlyWhatTheyName() {
        AddressPolicy policy = AddressPolicy.of(" 127.0.0.0/8 , 10.1.0.0/16,fd00:1::/32");
        assertThat(refusal(policy, "127.0.0.1")).isNull();
        assertThat(refusal(policy, "127.1")).isNull();
        assertThat(refusal(policy, "::ffff:127.0.0.1")).as("the mapped form of an allowed address").isNull();
        assertThat(refusal(policy, "10.1.200.3")).isNull();
        assertThat(refusal(policy, "10.2.0.1")).isEqualTo("private (RFC 1918)");
        assertThat(refusal(policy, "fd00:1:ffff::1")).isNull();
        assertThat(refusal(policy, "fd00:2::1")).isEqualTo("unique-local");
        assertThat(refusal(policy, "::1")).as("127.0.0.0/8 does not allow IPv6 loopback").isEqualTo("loopback");
        assertThat(refusal(policy, "169.254.169.254")).isEqualTo("link-local");
    }

    @Test
    void aSingleAddressIsARangeOfOne() {
        AddressPolicy policy = AddressPolicy.of("192.168.7.9");
        assertThat(refusal(policy, "192.168.7.9")).isNull();
        assertThat(refusal(policy, "192.168.7.10")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0/8", "127.1/8", "example.com/24", "::1/129", "10.0.0.0/x", "::ffff:1.2.3.4/120"})
    void badSettingsAreRefusedAtStart(String cidr) {
        assertThatThrownBy(() -> AddressPolicy.of(cidr))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("herald.delivery.allowed-networks");
    }

    @Test
    void aUrlWithARefusedLiteralIsA400NamingTheField() {
        for (String host : new String[] {"127.0.0.1", "127.1", "0x7f000001", "[::1]", "[::ffff:169.254.169.254]", "169.254.169.254"}) {
            assertThatThrownBy(() -> defaults.checkUrlHost(host))
                    .as(host)
                    .isInstanceOfSatisfying(HeraldException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.code()).isEqualTo("url_not_allowed");
                        assertThat(e.field()).isEqualTo("url");
                    });
        }
    }

    @Test
    void hostNamesAndPublicLiteralsPassAtCreate() {
        // Names are judged at connect time, on what they resolve to then; nothing is looked up here.
        defaults.checkUrlHost("hooks.example.com");
        defaults.checkUrlHost("localhost");
        defaults.checkUrlHost("93.184.215.14");
        defaults.checkUrlHost("[2606:4700::1111]");
        AddressPolicy.of("127.0.0.0/8").checkUrlHost("127.0.0.1");
    }

    @Test
    void namesThatLookNumericButAreNotAddresses() {
        assertThat(AddressPolicy.literal("1.2.3.4.5")).isNull();
        assertThat(AddressPolicy.literal("256.1.1.1")).isNull();
        assertThat(AddressPolicy.literal("0x1g.0.0.1")).isNull();
        assertThat(AddressPolicy.literal("09.0.0.1")).as("9 is not an octal digit").isNull();
        assertThat(AddressPolicy.literal("4294967296")).as("past 32 bits").isNull();
        assertThat(AddressPolicy.literal("hooks.example.com")).isNull();
        assertThat(AddressPolicy.literal("4294967295")).containsExactly(-1, -1, -1, -1);
    }
}
