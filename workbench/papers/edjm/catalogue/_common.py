"""Constants shared by the parts of Wang et al. (2016)'s catalogue (notes and recipe paths)."""
_DIGITS = "digits (8x8, 64 inputs) unless MNIST is on disk"
_DIGITS_C = "digits (8x8, 64 inputs) unless CIFAR-10 is on disk"
_CIFAR_PANEL = ("notebook 05 runs this figure on the MNIST name only; needs CIFAR-10 on disk (the fallback "
                "digits would repeat the MNIST panel)")
_TIMIT = "needs TIMIT (LDC corpus, licensed, not available here) and a phone recogniser; no recipe"
