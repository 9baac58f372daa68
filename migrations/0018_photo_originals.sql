-- A photo whose EXIF orientation turns it is stored upright, once, at `location photo add`, so proposals, frames and
-- mockups all see the same picture; the file as uploaded is kept here. NULL when the upload was already upright.
ALTER TABLE location_photos ADD COLUMN original_path text;
