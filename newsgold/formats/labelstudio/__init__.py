"""Label Studio's formats: the labeling config from the scheme, tasks, results <-> sets, offsets."""

from newsgold.formats.labelstudio.config import label_config
from newsgold.formats.labelstudio.convert import document_task, results_to_content, set_to_results

__all__ = ["document_task", "label_config", "results_to_content", "set_to_results"]
