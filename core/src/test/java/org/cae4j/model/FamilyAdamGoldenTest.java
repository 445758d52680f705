package org.cae4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import org.cae4j.loss.BceLoss;
import org.cae4j.loss.Loss;
import org.cae4j.loss.LossAndGrad;
import org.cae4j.loss.MseLoss;
import org.cae4j.loss.PerSampleSum;
import org.cae4j.nn.Parameter;
import org.cae4j.nn.Reparameterize;
import org.cae4j.optim.Adam;
import org.cae4j.tensor.Rng;
import org.cae4j.tensor.Tensor;
import org.cae4j.testing.Check;
import org.cae4j.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * Ten Adam steps of a tiny VAE, a KL-sparse autoencoder, a tied dense and a tied seed autoencoder match PyTorch
 * (scripts/golden/make_golden_family.py): the objective with its penalty at every step, and the final weights.
 */
class FamilyAdamGoldenTest {
    private static final Map<String, Tensor> G = Golden.read("golden/family_adam.golden");

    private static Tensor batch(int h, int w) {
        Tensor x = new Tensor(4, 1, h, w);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) (0.5 + 0.5 * Math.sin(0.11 * i));
        return x;
    }

    /** Runs ten steps; {@code eps} (10, N, F) is fed to the model's Reparameterize when not null. */
    private static void check(String prefix, Autoencoder ae, Tensor x, Loss loss, Adam adam, Reparameterize rep) {
        int t = 0;
        for (Parameter p : ae.namedParameters().values()) {
            for (int i = 0; i < p.value.size(); i++) p.value.data[i] = (float) (0.1 * Math.sin(0.37 * i + 1.3 * t));
            t++;
        }
        Tensor eps = rep == null ? null : G.get("vae.eps");
        float[] losses = new float[10], penalties = new float[10];
        for (int s = 0; s < 10; s++) {
            if (rep != null) {
                int n = eps.dim(1), f = eps.dim(2);
                rep.fixNoise(new Tensor(Arrays.copyOfRange(eps.data, s * n * f, (s + 1) * n * f), n, f));
            }
            adam.zeroGrad();
            LossAndGrad lg = loss.forward(ae.forward(x), x);
            penalties[s] = (float) ae.regularizationLoss();
            losses[s] = (float) (lg.value() + ae.regularizationLoss());
            ae.backward(lg.grad());
            adam.step();
        }
        Check.assertClose(prefix + " losses", G.get(prefix + ".losses").data, losses, 1e-5);
        if (G.containsKey(prefix + ".penalty")) {
            Check.assertClose(prefix + " penalty", G.get(prefix + ".penalty").data, penalties, 1e-5);
        }
        for (Map.Entry<String, Parameter> e : ae.namedParameters().entrySet()) {
            float[] v = e.getValue().value.data;
            float[] expected = G.get(prefix + ".final." + e.getKey()).data;
            Check.assertClose(prefix + " " + e.getKey(), expected, Arrays.copyOf(v, expected.length), 1e-4);
            Tensor sum = G.get(prefix + ".sum." + e.getKey());
            if (sum != null) {
                double s = 0, scale = 0;
                for (float f : v) {
                    s += f;
                    scale += Math.abs(f);
                }
                assertEquals(sum.data[0], s, 1e-4 * scale, prefix + " sum of " + e.getKey());
            }
        }
    }

    @Test
    void vaeTenAdamStepsMatchPyTorch() {
        Autoencoder ae = Presets.vaeDense(1, 6, 6, 10, 3, 0.5, new Rng(0));
        check("vae", ae, batch(6, 6), new PerSampleSum(new BceLoss()), Adam.adam(ae.parameters(), 1e-2),
                (Reparameterize) ae.encoder().get(4));
    }

    @Test
    void klSparseAutoencoderTenAdamStepsWithWeightDecayMatchPyTorch() {
        Autoencoder ae = Presets.sparse(1, 6, 6, 5, 0.1, 3, new Rng(0));
        check("sparse", ae, batch(6, 6), new MseLoss(),
                new Adam(ae.parameters(), 1e-2, 0.9, 0.999, 1e-8, 1e-3, false, false), null);
    }

    @Test
    void tiedDenseAutoencoderTenAdamStepsMatchPyTorch() {
        Autoencoder ae = Presets.dense(1, 6, 6, true, new Rng(0));
        check("tied", ae, batch(6, 6), new MseLoss(), Adam.adam(ae.parameters(), 1e-3), null);
    }

    @Test
    void tiedSeedCaeTenAdamStepsMatchPyTorch() {
        Autoencoder ae = SeedCae.build(SeedCae.Config.defaults(1, 7, 7).withFilters(3).withKernel(3).withStride(2)
                .withTied(true), new Rng(0));
        check("tiedseed", ae, batch(7, 7), new MseLoss(), Adam.adam(ae.parameters(), 1e-2), null);
    }
}
