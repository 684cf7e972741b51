// Verification of RSASSA-PKCS1-v1_5 signatures with SHA-256 (JWT `RS256`, authup's default key
// type), written in Swift: the library may not depend on swift-crypto, and verifying through
// libcrypto would put C outside the curl layer and fail on platforms whose libcurl is not built on
// OpenSSL. Verification needs only public-key arithmetic, so no secret is handled here and
// constant-time code is not required.

/// SHA-256 (FIPS 180-4).
enum SHA256Digest {
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// The 32-byte digest of `message`.
    static func hash(_ message: some Collection<UInt8>) -> [UInt8] {
        var state: [UInt32] = [
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
        ]
        var padded = Array(message)
        let bitLength = UInt64(padded.count) * 8
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) {
            padded.append(UInt8(truncatingIfNeeded: bitLength >> shift))
        }

        var words = [UInt32](repeating: 0, count: 64)
        for block in stride(from: 0, to: padded.count, by: 64) {
            for index in 0..<16 {
                let offset = block + index * 4
                words[index] =
                    UInt32(padded[offset]) << 24 | UInt32(padded[offset + 1]) << 16 | UInt32(padded[offset + 2]) << 8
                    | UInt32(padded[offset + 3])
            }
            for index in 16..<64 {
                let w15 = words[index - 15]
                let w2 = words[index - 2]
                let s0 = w15.rotatedRight(7) ^ w15.rotatedRight(18) ^ (w15 >> 3)
                let s1 = w2.rotatedRight(17) ^ w2.rotatedRight(19) ^ (w2 >> 10)
                words[index] = words[index - 16] &+ s0 &+ words[index - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, h) = (
                state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7]
            )
            for index in 0..<64 {
                let s1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
                let choice = (e & f) ^ (~e & g)
                let temp1 = h &+ s1 &+ choice &+ roundConstants[index] &+ words[index]
                let s0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
                let majority = (a & b) ^ (a & c) ^ (b & c)
                let temp2 = s0 &+ majority
                (h, g, f, e, d, c, b, a) = (g, f, e, d &+ temp1, c, b, a, temp1 &+ temp2)
            }
            for (index, value) in [a, b, c, d, e, f, g, h].enumerated() { state[index] = state[index] &+ value }
        }
        return state.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - $0 * 8)) } }
    }
}

extension UInt32 {
    fileprivate func rotatedRight(_ count: UInt32) -> UInt32 { (self >> count) | (self << (32 - count)) }
}

/// An RSA public key (modulus and exponent, big-endian bytes as in a JWK's `n` and `e`).
struct RSAPublicKey: Sendable, Hashable {
    /// The modulus as little-endian 32-bit limbs, without leading zero limbs.
    let modulus: [UInt32]
    let exponent: [UInt8]
    /// The modulus's length in bytes (`k` of RFC 8017).
    let byteCount: Int

    /// Nil when the modulus is even or shorter than 2048 bits (RFC 7518 §3.3 requires at least
    /// 2048), or the exponent is zero.
    init?(modulus: [UInt8], exponent: [UInt8]) {
        let trimmed = Array(modulus.drop { $0 == 0 })
        guard trimmed.count >= 256, let last = trimmed.last, last & 1 == 1, exponent.contains(where: { $0 != 0 })
        else { return nil }
        self.modulus = BigNumber.limbs(trimmed)
        self.exponent = Array(exponent.drop { $0 == 0 })
        byteCount = trimmed.count
    }

    /// Whether `signature` is this key's RSASSA-PKCS1-v1_5 SHA-256 signature of `message`
    /// (RFC 8017 §8.2.2).
    func verifiesSHA256(signature: [UInt8], message: some Collection<UInt8>) -> Bool {
        guard signature.count == byteCount else { return false }
        let value = BigNumber.limbs(signature)
        guard BigNumber.compare(value, modulus) < 0 else { return false }
        let decoded = BigNumber.bytes(BigNumber.power(value, exponent, modulus: modulus), count: byteCount)
        // EM = 0x00 0x01 PS(0xff…) 0x00 DigestInfo(SHA-256) H (RFC 8017 §9.2).
        let digestInfo: [UInt8] = [
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
            0x04, 0x20,
        ]
        let suffix = digestInfo + SHA256Digest.hash(message)
        let paddingLength = byteCount - 3 - suffix.count
        guard paddingLength >= 8 else { return false }
        let expected = [0x00, 0x01] + [UInt8](repeating: 0xff, count: paddingLength) + [0x00] + suffix
        return decoded == expected
    }
}

/// Unsigned arithmetic on little-endian 32-bit limbs: just what modular exponentiation needs,
/// with Montgomery multiplication so that no long division is required.
enum BigNumber {
    /// Big-endian bytes as limbs.
    static func limbs(_ bytes: [UInt8]) -> [UInt32] {
        var result = [UInt32](repeating: 0, count: (bytes.count + 3) / 4)
        for (index, byte) in bytes.reversed().enumerated() {
            result[index / 4] |= UInt32(byte) << (UInt32(index % 4) * 8)
        }
        while result.count > 1, result.last == 0 { result.removeLast() }
        return result
    }

    /// Limbs as `count` big-endian bytes.
    static func bytes(_ limbs: [UInt32], count: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        for index in 0..<count {
            let limb = index / 4
            guard limb < limbs.count else { break }
            result[count - 1 - index] = UInt8(truncatingIfNeeded: limbs[limb] >> (UInt32(index % 4) * 8))
        }
        return result
    }

    /// -1, 0 or 1 as `a` is below, equal to or above `b`.
    static func compare(_ a: [UInt32], _ b: [UInt32]) -> Int {
        let length = max(a.count, b.count)
        for index in stride(from: length - 1, through: 0, by: -1) {
            let left = index < a.count ? a[index] : 0
            let right = index < b.count ? b[index] : 0
            if left != right { return left < right ? -1 : 1 }
        }
        return 0
    }

    /// `a - b` in place over `a.count` limbs (requires `a >= b`).
    static func subtract(_ a: inout [UInt32], _ b: [UInt32]) {
        var borrow: UInt64 = 0
        for index in 0..<a.count {
            let right = UInt64(index < b.count ? b[index] : 0) + borrow
            let left = UInt64(a[index])
            a[index] = UInt32(truncatingIfNeeded: left &- right)
            borrow = left < right ? 1 : 0
        }
    }

    /// `base ^ exponent mod modulus` for an odd modulus.
    static func power(_ base: [UInt32], _ exponent: [UInt8], modulus: [UInt32]) -> [UInt32] {
        let count = modulus.count
        // -modulus⁻¹ mod 2³² by Newton's iteration (each step doubles the correct low bits).
        var inverse: UInt32 = 1
        for _ in 0..<5 { inverse = inverse &* (2 &- modulus[0] &* inverse) }
        let factor = 0 &- inverse

        // Values below 2n: one subtraction brings them below n.
        func reduced(_ value: [UInt32]) -> [UInt32] {
            var value = value
            if compare(value, modulus) >= 0 { subtract(&value, modulus) }
            return Array(value.prefix(count))
        }

        // Montgomery product a·b·R⁻¹ mod n, R = 2^(32·count) (CIOS).
        func multiply(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
            var t = [UInt32](repeating: 0, count: count + 2)
            for i in 0..<count {
                var carry: UInt64 = 0
                let bi = UInt64(b[i])
                for j in 0..<count {
                    let sum = UInt64(t[j]) + UInt64(a[j]) * bi + carry
                    t[j] = UInt32(truncatingIfNeeded: sum)
                    carry = sum >> 32
                }
                var sum = UInt64(t[count]) + carry
                t[count] = UInt32(truncatingIfNeeded: sum)
                t[count + 1] = UInt32(sum >> 32)
                let m = UInt64(t[0] &* factor)
                sum = UInt64(t[0]) + m * UInt64(modulus[0])
                carry = sum >> 32
                for j in 1..<count {
                    sum = UInt64(t[j]) + m * UInt64(modulus[j]) + carry
                    t[j - 1] = UInt32(truncatingIfNeeded: sum)
                    carry = sum >> 32
                }
                sum = UInt64(t[count]) + carry
                t[count - 1] = UInt32(truncatingIfNeeded: sum)
                t[count] = t[count + 1] + UInt32(sum >> 32)
                t[count + 1] = 0
            }
            return reduced(Array(t.prefix(count + 1)))
        }

        // R mod n and R² mod n by doubling, so the inputs can enter Montgomery form.
        var rModN = [UInt32](repeating: 0, count: count)
        rModN[0] = 1
        func double(_ value: inout [UInt32]) {
            var carry: UInt32 = 0
            var extended = value + [0]
            for index in 0..<extended.count {
                let next = extended[index] >> 31
                extended[index] = extended[index] << 1 | carry
                carry = next
            }
            value = reduced(extended)
        }
        for _ in 0..<(32 * count) { double(&rModN) }
        var rSquared = rModN
        for _ in 0..<(32 * count) { double(&rSquared) }

        var padded = base + [UInt32](repeating: 0, count: max(0, count - base.count))
        padded = Array(padded.prefix(count))
        let montgomeryBase = multiply(padded, rSquared)
        var result = rModN
        for byte in exponent {
            for bit in stride(from: 7, through: 0, by: -1) {
                result = multiply(result, result)
                if (byte >> UInt8(bit)) & 1 == 1 { result = multiply(result, montgomeryBase) }
            }
        }
        var one = [UInt32](repeating: 0, count: count)
        one[0] = 1
        return multiply(result, one)
    }
}
