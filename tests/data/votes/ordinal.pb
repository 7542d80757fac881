META
key;value
description;Ranking vote in Exampletown (self-made test file in the Pabulib format)
country;Germany
unit;Exampletown
instance;2024
num_projects;4
num_votes;4
budget;100
vote_type;ordinal
rule;borda
max_length;3
PROJECTS
project_id;cost;name
p1;40;Library
p2;30;Pool
p3;50;Park
p4;20;Bus stop
VOTES
voter_id;vote
r1;p3,p1,p2
r2;p1
r3;p2,p4
r4;p4,p3,p1
