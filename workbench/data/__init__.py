"""Data sets: bundled digits, synthetic sets, and local MNIST / Fashion-MNIST / CIFAR-10.

The real image sets are read by torchvision from the folder ``WORKBENCH_DATA``
(default ``~/.cache/workbench/data``) in their usual on-disk layouts:

* MNIST: ``<root>/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte``
* Fashion-MNIST: ``<root>/FashionMNIST/raw/`` with the same four file names
* CIFAR-10: ``<root>/cifar-10-batches-py/{data_batch_1..5,test_batch,batches.meta}``

Nothing downloads unless asked.  :func:`fetch` (``workbench data fetch mnist``
on the command line, or ``load(name, download=True)``) downloads a set through
torchvision's own download code, so torchvision's md5 checksums are checked,
into a temporary folder inside the data folder; only verified files are moved
into place, archive members that would land outside the folder are refused,
and a set already present is not downloaded again.  ``base_url`` (or
``WORKBENCH_DATA_MIRROR``) names a mirror holding ``<mirror>/<name>/<file>``.
Without the files, :func:`load` falls back to the digits with a one-line
warning naming the missing folder and the command that fetches it.

Modules: ``dataset`` (:class:`Dataset`, the errors, :func:`data_dir`), ``bundled`` (digits, breast cancer),
``synthetic`` (noise images, random points), ``image_sets`` (the local MNIST / Fashion-MNIST / CIFAR-10
loaders and their file checks), ``loading`` (:func:`load`), ``fetching`` (:func:`fetch`, its checksums,
temporary folders and guarded download).  Module-level settings are read where they are defined: patch
``workbench.data.loading._WARNED`` or ``workbench.data.fetching._TIMEOUT_S`` / ``_MAX_DOWNLOAD_BYTES`` there
(they are not re-exported here, so a patch of the package fails loudly instead of doing nothing).
"""
# names outside __all__ (``X as X``: re-exported on purpose) are read through workbench.data by the CLI
# (``workbench data list``), the tests and the hostile probes
from workbench.data.bundled import breast_cancer, digits
from workbench.data.dataset import ENV_DATA as ENV_DATA
from workbench.data.dataset import DataDownloadError, DataFormatError, DataNotFoundError, Dataset, data_dir
from workbench.data.fetching import ENV_MIRROR as ENV_MIRROR
from workbench.data.fetching import FETCHABLE as FETCHABLE
from workbench.data.fetching import FetchResult, fetch
from workbench.data.fetching import _default_resources as _default_resources
from workbench.data.fetching import _download_settings as _download_settings
from workbench.data.fetching import _inventory as _inventory
from workbench.data.image_sets import _CIFAR_FILES as _CIFAR_FILES
from workbench.data.image_sets import _MNIST_FILES as _MNIST_FILES
from workbench.data.image_sets import cifar10, fashion_mnist, mnist
from workbench.data.loading import load
from workbench.data.synthetic import noise_images, random_points

__all__ = [
    "Dataset", "DataNotFoundError", "DataFormatError", "DataDownloadError", "FetchResult", "data_dir", "digits",
    "noise_images", "random_points", "mnist", "fashion_mnist", "cifar10", "breast_cancer", "load", "fetch",
]
