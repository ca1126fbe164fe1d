/**
 * DL4J layers with their own parameters: the cosine head for the margin losses
 * ({@link org.counterweight.losses.layers.CosineOutputLayer}) and the Focused Anchors layers FAL and
 * FAML ({@link org.counterweight.losses.layers.AnchorOutputLayer}, METHODS §3), and BBN's two
 * branches ({@link org.counterweight.losses.layers.BilateralBranchLayer}, METHODS §4). Each is a
 * configuration class (JSON-serialisable, built with a Builder), an implementation class and a
 * parameter initializer, following the shape of DL4J's own {@code CenterLossOutputLayer}; what the
 * configurations share is in {@link org.counterweight.losses.layers.ParametricOutputLayer}, what
 * the implementations share in {@code ParametricOutputLayerImpl}.
 */
package org.counterweight.losses.layers;
