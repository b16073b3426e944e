-- Every request asks which groups its principals belong to; members live in the group's data.
CREATE INDEX objects_group_members ON objects USING GIN ((data -> 'members')) WHERE resource_name = 'group';
