"""Export maps made by pytorch-grad-cam for `apexp audit --heatmaps` (not run in CI).

    pip install torch torchvision grad-cam pillow numpy
    python examples/export_pytorch_grad_cam.py --images photos/ --out maps/ [--method gradcam] [--weights model.pt]
    npx apexp audit --heatmaps maps/maps.npy --predictions maps/predictions.csv [--truth truth.csv] --out audit/

Writes into --out:
  maps.npy         float32 [N, H, W], one map per image at the model's input size, in [0, 1]
                   (pytorch-grad-cam's own min-max scaling; apexp ReLUs, divides by the maximum and resizes to 32x32)
  ids.txt          one id per line in the order of maps.npy: the image path relative to --images, '/'-separated,
                   so that truth.csv and labels.csv written for `apexp audit --images` apply unchanged
  predictions.csv  id,predicted,confidence: the explained (top-1) class name and its softmax probability
"""
import argparse
import csv
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from pytorch_grad_cam import GradCAM, GradCAMPlusPlus, HiResCAM, LayerCAM, XGradCAM
from torchvision import models, transforms

METHODS = {'gradcam': GradCAM, 'gradcam++': GradCAMPlusPlus, 'hirescam': HiResCAM, 'xgradcam': XGradCAM, 'layercam': LayerCAM}
EXTENSIONS = {'.png', '.jpg', '.jpeg', '.webp', '.bmp', '.tif', '.tiff'}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--images', required=True, type=Path, help='folder of images (walked recursively; class sub-folders are fine)')
    p.add_argument('--out', required=True, type=Path)
    p.add_argument('--method', default='gradcam', choices=sorted(METHODS))
    p.add_argument('--weights', type=Path, help='state_dict of a torchvision resnet18 fine-tuned on your classes (default: ImageNet weights)')
    p.add_argument('--classes', nargs='*', help='class names in output order (default: ImageNet indices)')
    p.add_argument('--size', type=int, default=224)
    p.add_argument('--batch', type=int, default=32)
    a = p.parse_args()

    if a.weights:
        state = torch.load(a.weights, map_location='cpu')
        num_classes = state['fc.weight'].shape[0]
        model = models.resnet18(num_classes=num_classes)
        model.load_state_dict(state)
    else:
        model = models.resnet18(weights=models.ResNet18_Weights.DEFAULT)
    model.eval()
    # The last residual block: the usual Grad-CAM target of a ResNet (pytorch-grad-cam's README).
    cam = METHODS[a.method](model=model, target_layers=[model.layer4[-1]])
    prep = transforms.Compose([
        transforms.Resize((a.size, a.size)),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ])

    paths = sorted(f for f in a.images.rglob('*') if f.suffix.lower() in EXTENSIONS and not f.name.startswith('.'))
    a.out.mkdir(parents=True, exist_ok=True)
    maps, ids, rows = [], [], []
    for start in range(0, len(paths), a.batch):
        batch, names = [], []
        for f in paths[start:start + a.batch]:
            try:
                batch.append(prep(Image.open(f).convert('RGB')))
                names.append(f.relative_to(a.images).as_posix())
            except Exception as err:  # a bad file is skipped and named, the rest carries on
                print(f'warning: skipping {f}: {err}')
        if not batch:
            continue
        x = torch.stack(batch)
        with torch.no_grad():
            probs = torch.softmax(model(x), dim=1)
        conf, top = probs.max(dim=1)
        # targets=None explains each image's top-1 class, as apexp's default `--target predicted`.
        maps.append(cam(input_tensor=x, targets=None).astype(np.float32))
        for name, k, c in zip(names, top.tolist(), conf.tolist()):
            ids.append(name)
            rows.append((name, a.classes[k] if a.classes else str(k), f'{c:.6f}'))
        print(f'{len(ids)}/{len(paths)} explained')

    np.save(a.out / 'maps.npy', np.ascontiguousarray(np.concatenate(maps)))
    (a.out / 'ids.txt').write_text('\n'.join(ids) + '\n')
    with open(a.out / 'predictions.csv', 'w', newline='') as fh:
        w = csv.writer(fh)
        w.writerow(['id', 'predicted', 'confidence'])
        w.writerows(rows)
    print(f'wrote {len(ids)} maps to {a.out}')


if __name__ == '__main__':
    main()
