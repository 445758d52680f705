package org.cae4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cae4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The golden-file reader: a hand-built file round-trips, and malformed files are rejected by name. */
class GoldenTest {

    /** A version-1 file with one 2×3 tensor "a" = 0..5 and one scalar "s" = 7. */
    private static byte[] sample(byte[] magic, int version) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b.put(magic).putInt(version);
        byte[] producer = "hand 0".getBytes(StandardCharsets.UTF_8);
        b.putShort((short) producer.length).put(producer).putInt(2);
        b.putShort((short) 1).put((byte) 'a').put((byte) 2).putInt(2).putInt(3);
        for (int i = 0; i < 6; i++) b.putFloat(i);
        b.putShort((short) 1).put((byte) 's').put((byte) 0).putFloat(7f);
        out.write(b.array(), 0, b.position());
        return out.toByteArray();
    }

    @Test
    void readsAHandBuiltFile() {
        Golden.Contents c = Golden.parse("sample", sample(Golden.MAGIC, 1));
        assertEquals("hand 0", c.producer());
        assertEquals(List.of("a", "s"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new int[] {2, 3}, c.tensors().get("a").shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, c.tensors().get("a").data);
        assertArrayEquals(new float[] {7}, c.tensors().get("s").data);
    }

    @Test
    void rejectsWrongMagicNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Golden.parse("x.golden", sample("C4JGOLD2".getBytes(StandardCharsets.US_ASCII), 1)));
        assertTrue(e.getMessage().contains("x.golden") && e.getMessage().contains("C4JGOLD2")
                && e.getMessage().contains("C4JGOLD1"), e.getMessage());
    }

    @Test
    void rejectsUnknownVersionNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Golden.parse("x.golden", sample(Golden.MAGIC, 2)));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void rejectsTruncatedAndTrailingBytes() {
        byte[] ok = sample(Golden.MAGIC, 1);
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class,
                () -> Golden.parse("x.golden", Arrays.copyOf(ok, ok.length - 3)));
        assertTrue(cut.getMessage().contains("x.golden"), cut.getMessage());
        IllegalArgumentException extra = assertThrows(IllegalArgumentException.class,
                () -> Golden.parse("x.golden", Arrays.copyOf(ok, ok.length + 2)));
        assertTrue(extra.getMessage().contains("2 bytes after"), extra.getMessage());
    }

    @Test
    void seedCaeAdamFileHasBothVariants() {
        Golden.Contents c = Golden.load("golden/seed_cae_adam.golden");
        System.out.println("golden/seed_cae_adam.golden: produced by " + c.producer());
        Map<String, Tensor> t = c.tensors();
        for (String[] v : new String[][] {{"", "1"}, {"rgb.", "3"}}) {
            String p = v[0];
            int d = Integer.parseInt(v[1]);
            assertArrayEquals(new int[] {4, d, 10, 10}, t.get(p + "x").shape(), p + "x");
            for (String pre : new String[] {"", "final."}) {
                assertArrayEquals(new int[] {4, d, 3, 3}, t.get(p + pre + "enc.weight").shape(), p + pre + "enc.weight");
                assertArrayEquals(new int[] {4}, t.get(p + pre + "enc.bias").shape(), p + pre + "enc.bias");
                assertArrayEquals(new int[] {d, 4, 3, 3}, t.get(p + pre + "dec.weight").shape(), p + pre + "dec.weight");
                assertArrayEquals(new int[] {d}, t.get(p + pre + "dec.bias").shape(), p + pre + "dec.bias");
            }
            float[] losses = t.get(p + "losses").data;
            assertEquals(20, losses.length);
            assertTrue(losses[19] < losses[0], p + "loss should fall over 20 Adam steps: " + Arrays.toString(losses));
        }
    }
}
