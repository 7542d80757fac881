META
key;value
description;District PB in Exampletown (self-made test file in the Pabulib format)
country;Germany
unit;Exampletown
instance;2024
num_projects;3
num_votes;6
budget;50000
vote_type;cumulative
rule;greedy
max_sum_points;5
PROJECTS
project_id;cost;name;votes;score
a;8000,0;Ruheplatz am Fluss;4;12
b;42000;Katzenfreundliches Viertel;3;7
c;5900;Familien-Geländespiel;2;4
VOTES
voter_id;vote;points
v1;a;5
v2;a,b;3,2
v3;b,c;2,3
v4;a,b,c;1,3,1
v5;a;3
v6;b;6
