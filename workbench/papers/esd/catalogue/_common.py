"""Constants shared by the parts of Berthiaume, Paffenroth & Guo (2020)'s catalogue (notes and recipe paths)."""
_GPU = ("needs a GPU: 18 torchvision networks at 3×224×224, 500 inputs × 10^6 coordinates × 10 repeats "
        "(about 33 h for ResNet-152 alone on the 2-core CPU); the cpu profile (3×64×64, 64 inputs) is not the "
        "paper's setup")
_IMAGENET = ("needs ImageNet images (not here) and a GPU at 3×224×224; notebook 09's bundled-digits stand-in is "
             "another input distribution")
_S6_NOTE = ("the paper does not say whether the §6 weights were random (Algorithm 1) or ImageNet-trained; ours are "
            "random (trained weights would also need torchvision's weight files, not downloadable here)")
