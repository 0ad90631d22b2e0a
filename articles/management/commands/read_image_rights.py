from django.core.management.base import BaseCommand
from wagtail.images import get_image_model

from articles.models import ImageRights


class Command(BaseCommand):
    help = (
        "Read the credit, copyright and caption embedded in the files of images uploaded "
        "before the newsroom read them (IPTC, XMP, EXIF); fills only fields still empty."
    )

    def handle(self, *args, **options):
        images = get_image_model().objects.filter(newsroom_rights__isnull=True).order_by("pk")
        read = missing = 0
        for image in images.iterator():
            try:
                ImageRights.fill_from_file(image)
            except OSError as error:  # the file is gone from storage: say which, go on
                missing += 1
                self.stderr.write(f"image {image.pk} “{image.title}”: file unreadable ({error})")
                continue
            read += 1
        self.stdout.write(self.style.SUCCESS(f"read {read} images; {missing} files unreadable"))
