package org.cae4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.cae4j.tensor.Tensor;

/**
 * Layers applied in order, as PyTorch's {@code nn.Sequential}; parameters are named by position,
 * {@code 0.weight}, {@code 0.bias}, {@code 2.weight}, …, exactly as in a PyTorch {@code state_dict}.
 *
 * <p>A parameter shared by two layers (tied weights, {@link Linear#tiedTo}) is listed once, under the name of
 * its first use, so an optimizer updates it once; both uses add into its one gradient.
 */
public final class Sequential implements Layer {
    private final List<Layer> layers;
    private int skipInBackward; // leading parameterless layers whose dx nobody needs

    public Sequential(Layer... layers) { this(List.of(layers)); }

    public Sequential(List<? extends Layer> layers) {
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
    }

    public List<Layer> layers() { return layers; }

    public Layer get(int i) { return layers.get(i); }

    public int size() { return layers.size(); }

    /**
     * Runs the layers in order; a layer that can apply the activation after it in its own pass
     * ({@link FusesActivation}) does so, with the same result.
     */
    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (int i = 0; i < layers.size(); i++) {
            Activation act = fusedAfter(i);
            if (act != null) {
                h = ((FusesActivation) layers.get(i)).forward(h, act);
                i++;
            } else {
                h = layers.get(i).forward(h);
            }
        }
        return h;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor g = dy;
        for (int i = layers.size() - 1; i >= skipInBackward; i--) {
            Activation act = i > skipInBackward ? fusedAfter(i - 1) : null;
            if (act != null) {
                g = ((FusesActivation) layers.get(i - 1)).backward(g, act);
                i--;
            } else {
                g = layers.get(i).backward(g);
            }
        }
        return skipInBackward > 0 ? null : g;
    }

    /** Whether pairs of layers are fused: {@code -Dcae4j.fuse=false} turns it off, to measure what it saves. */
    static final boolean FUSE = !"false".equals(System.getProperty("cae4j.fuse"));

    /** Layer i + 1 when it is an activation that layer i applies in its own pass, else null. */
    private Activation fusedAfter(int i) {
        if (!FUSE || i + 1 >= layers.size() || !(layers.get(i) instanceof FusesActivation)) return null;
        Layer next = layers.get(i + 1);
        return next instanceof Activation && ((Activation) next).fusable() ? (Activation) next : null;
    }

    @Override
    public int[] outputShape(int[] in) {
        int[] s = in;
        for (Layer l : layers) s = l.outputShape(s);
        return s;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        java.util.Set<Parameter> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Layer l : layers) {
            for (Parameter p : l.parameters()) {
                if (seen.add(p)) ps.add(p);
            }
        }
        return ps;
    }

    /** Parameters keyed by their PyTorch state_dict name ({@code prefix + index + "." + name}), in order. */
    public java.util.LinkedHashMap<String, Parameter> namedParameters(String prefix) {
        return namedParameters(prefix, 0);
    }

    /**
     * As {@link #namedParameters(String)}, with layer i named {@code i − first}; the {@code first} layers before
     * it must have no parameters (they take no index, as input noise that PyTorch code applies outside the module).
     * A parameter already listed (tied) keeps its first name.
     */
    public java.util.LinkedHashMap<String, Parameter> namedParameters(String prefix, int first) {
        java.util.LinkedHashMap<String, Parameter> m = new java.util.LinkedHashMap<>();
        java.util.Set<Parameter> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (i < first) {
                if (!l.parameters().isEmpty()) {
                    throw new IllegalArgumentException("layer " + i + " (" + l + ") has parameters, so it cannot go "
                            + "unnumbered");
                }
                continue;
            }
            String at = prefix + (i - first) + ".";
            java.util.Map<String, Parameter> own;
            if (l instanceof Sequential) {
                own = ((Sequential) l).namedParameters(at);
            } else {
                own = new java.util.LinkedHashMap<>();
                for (Parameter p : l.parameters()) own.put(at + p.name(), p);
            }
            for (java.util.Map.Entry<String, Parameter> e : own.entrySet()) {
                if (seen.add(e.getValue())) m.put(e.getKey(), e.getValue());
            }
        }
        return m;
    }

    /** Buffers (see {@link Layer#buffers()}) keyed by state_dict name ({@code prefix + index + "." + name}), in order. */
    public java.util.LinkedHashMap<String, Tensor> namedBuffers(String prefix) {
        return namedBuffers(prefix, 0);
    }

    /** As {@link #namedBuffers(String)}, with layer i named {@code i − first} (see {@link #namedParameters(String, int)}). */
    public java.util.LinkedHashMap<String, Tensor> namedBuffers(String prefix, int first) {
        java.util.LinkedHashMap<String, Tensor> m = new java.util.LinkedHashMap<>();
        for (int i = first; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String at = prefix + (i - first) + ".";
            if (l instanceof Sequential) {
                m.putAll(((Sequential) l).namedBuffers(at));
            } else {
                for (java.util.Map.Entry<String, Tensor> b : l.buffers().entrySet()) m.put(at + b.getKey(), b.getValue());
            }
        }
        return m;
    }

    @Override
    public java.util.Map<String, Tensor> buffers() { return java.util.Collections.unmodifiableMap(namedBuffers("")); }

    /**
     * Passes the setting to the first layer. Without an input gradient, leading layers that have no parameters
     * (flatten, input noise) need no backward at all, so they are skipped and the first layer with parameters
     * is told instead; backward then returns null.
     */
    @Override
    public void setInputGradNeeded(boolean needed) {
        int leading = 0; // parameterless layers before the first one with parameters
        for (Layer l : layers) {
            l.setInputGradNeeded(needed);
            if (!l.parameters().isEmpty()) break;
            leading++;
        }
        skipInBackward = needed ? 0 : leading;
    }

    @Override
    public void train(boolean training) {
        for (Layer l : layers) l.train(training);
    }

    /** The layers' generators, each once, in layer order. */
    @Override
    public List<org.cae4j.tensor.Rng> generators() {
        List<org.cae4j.tensor.Rng> g = new ArrayList<>();
        for (Layer l : layers) {
            for (org.cae4j.tensor.Rng r : l.generators()) {
                if (g.stream().noneMatch(x -> x == r)) g.add(r);
            }
        }
        return g;
    }

    /** The sum of the layers' penalties from the last forward. */
    @Override
    public double regularizationLoss() {
        double s = 0;
        for (Layer l : layers) s += l.regularizationLoss();
        return s;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Sequential(");
        for (int i = 0; i < layers.size(); i++) b.append(i == 0 ? "" : ", ").append(layers.get(i));
        return b.append(')').toString();
    }
}
